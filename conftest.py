import os
import tempfile

# Tests never write into the working folder: the secret key file and any upload go here.
os.environ.setdefault("TAIZHANG_HOME", tempfile.mkdtemp(prefix="taizhang-test-"))
