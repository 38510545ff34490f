"""Warnings that point at the user's call, not at the package line that raises them."""

import contextlib
import os
import sys
import warnings

import sklearn

# Frames of this package, of scikit-learn's decorators around its public
# functions (``validate_params``) and of context managers are passed over.
_INTERNAL = (*(os.path.dirname(os.path.abspath(module.__file__)) + os.sep
               for module in (sys.modules[__name__.split(".")[0]], sklearn)),
             os.path.abspath(contextlib.__file__))


def warn(message, category=UserWarning):
    """``warnings.warn`` with the stack level of the first frame outside the package.

    Parameters
    ----------
    message : str
    category : type of Warning, default=UserWarning
    """
    frame, level = sys._getframe(), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_INTERNAL):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
