"""``python -m aisquare_studio``: the ``aisquare-studio`` command."""

import sys

from ._cli import main

sys.exit(main())
