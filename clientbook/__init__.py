"""clientbook: client-care records for small-business owners, kept in the terminal."""

__version__ = "0.1.0"
