"""Actions several screens share, one module per area, mixed into :class:`~clientbook.ui.app.ClientbookApp`.

Screens call them through the app (`self.book.new_client(...)`), so a form is built and a write is made in
one place whichever screen asks.
"""
