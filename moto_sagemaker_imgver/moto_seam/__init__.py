"""Where this package meets moto (and botocore) internals; a new moto release means reading here.

- `responses.py`: the response class moto's SageMaker URL table (`urls.py`) points at.
- `backend.py`: moto's SageMaker backend extended with our stores, and `install()`.
- `server.py`: the server command, and the patch that answers bad gzip in moto's server.
- `import_hook.py`: installs the moment moto loads its SageMaker.
- `supported.py`: the moto releases this package supports.
- `states.py`: moto's state manager (statuses that progress as users configure).
- `ecr_images.py`: reading an image's digest from moto's ECR mock.
- `botocore_shapes.py`: a botocore shape's identity (its model), which botocore keeps private.

The domain (stores, validation) never imports moto's or botocore's private names; it uses
`states.py`, `ecr_images.py` and `botocore_shapes.py`, which import nothing of the package.
"""
