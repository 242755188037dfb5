from . import test_delivery_hold
