"""Actions several screens share, one module per area, mixed into :class:`~clientbook.ui.app.ClientbookApp`.

Screens call them through the app (`self.book.new_client(...)`), so a form is built and a write is made in
one place whichever screen asks.

Each action imports the forms, screens and core writes it uses when it runs, not at the top of its module:
the app imports every action module, and loading every form and write before the first screen could be
painted was a fifth of the start-up (`python -X importtime`). :func:`clientbook.ui.preload.load_the_rest`
imports them in the background once the first screen is up, so the first use of each waits for nothing.
"""
