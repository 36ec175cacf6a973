"""`python -m clientbook`: the same entry point as the `clientbook` console script."""

import sys

from clientbook.cli import main

sys.exit(main())
