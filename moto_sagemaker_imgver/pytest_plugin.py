"""pytest plugin (entry point `pytest11`): installs the extension into moto for every test run."""
import moto_sagemaker_imgver  # noqa: F401  (the import installs it)
