from . import portal
from . import chatter
