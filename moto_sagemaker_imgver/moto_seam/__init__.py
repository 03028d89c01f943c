"""Where this package meets moto's internals; a new moto release means reading here.

- `responses.py`: the response class moto's SageMaker URL table (`urls.py`) points at.
- `backend.py`: moto's SageMaker backend extended with our stores, and `install()`, which also
  wires the domain to moto (the state models, the ECR lookup).
- `hooks.py`, `import_hook.py`: install the moment moto loads its SageMaker; answer a bad gzip
  body in moto's server.
- `server.py`: the server command.
- `supported.py`: the moto releases this package supports.
- `states.py`: the package's state models, registered with moto's state manager.
- `ecr_images.py`: reading an image's digest from moto's ECR mock.
- `dashboard.py`: the stores' resources on moto's dashboard (`/moto-api/data.json`).

Nothing else in the package imports from here except `__init__` (the hooks) and the pytest plugin;
the domain and validation import only moto's and botocore's public names (a test holds that).
"""
