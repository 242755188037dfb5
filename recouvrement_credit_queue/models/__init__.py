from . import recouvrement_queue_mixin
from . import recouvrement_dunning_run
from . import recouvrement_dunning_dispatch
