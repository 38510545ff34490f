"""Numbers in words, as the command line and the results pages print them."""


def counted(n, noun):
    """``n`` and ``noun``, plural unless ``n`` is 1: ``counted(2, 'epoch') == '2 epochs'``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
