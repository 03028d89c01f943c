from .moto_seam.server import main

main(prog="python -m moto_sagemaker_imgver")
