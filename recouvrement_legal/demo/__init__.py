from . import demo_legal
