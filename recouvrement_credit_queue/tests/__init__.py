from . import test_dunning_jobs
from . import test_concurrent_sending_jobs
