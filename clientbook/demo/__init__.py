"""The demo book generator: plausible sample books for trying clientbook, for screenshots and benchmarks.

Outside the core on purpose: it writes in bulk, around the core's one-row-at-a-time commands, to make 100,000
clients and a million interactions in seconds. It may import the core; the core never imports it (an
import-linter contract says so). One idea per module:

- :mod:`.words`: the names, companies and phrases a demo is made of;
- :mod:`.pools`: what is made from them once (folded names, slugs, phone numbers, stored-time text);
- :mod:`.clients` and :mod:`.interactions`: the rows, with their derived values;
- :mod:`.care`: checklists, promises, concerns and key dates;
- :mod:`.bulk`: the writer (indexes built after, durability relaxed while filling);
- :mod:`.fill`: :func:`fill_demo_book`, putting it together;
- :mod:`.mark`: telling a demo book from a user's own.
"""

from clientbook.demo.fill import fill_demo_book
from clientbook.demo.mark import DEMO_KEY, is_demo_book

__all__ = ["DEMO_KEY", "fill_demo_book", "is_demo_book"]
