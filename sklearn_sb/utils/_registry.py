"""Things registered by name: networks, training methods, datasets."""


class Registry:
    """A mapping from unique names to registered objects of one kind.

    Parameters
    ----------
    kind : str
        What is registered ('network', 'method'), for error messages.
    """

    def __init__(self, kind):
        self.kind = kind
        self._entries = {}

    def register(self, name):
        """A decorator registering its argument under ``name``."""

        def decorator(entry):
            registered = self._entries.get(name)
            if registered is not None and registered != entry:
                raise ValueError(f"A {self.kind} is already registered as {name!r}: {registered!r}.")
            self._entries[name] = entry
            return entry

        return decorator

    def get(self, name):
        """The object registered as ``name``; a ValueError listing the names otherwise."""
        try:
            return self._entries[name]
        except KeyError:
            raise ValueError(
                f"Unknown {self.kind} {name!r}; registered {self.kind}s are {self.names()}."
            ) from None

    def names(self):
        """The registered names, sorted."""
        return sorted(self._entries)

    def entries(self):
        """A copy of the registry, ``{name: object}`` in registration order."""
        return dict(self._entries)
