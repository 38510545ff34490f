"""SBNetClassifier: the paper's networks as scikit-learn classifiers."""

import contextlib
import copy
import inspect
import math
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_X_y, validate_data
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochTimer, PassthroughScoring, PrintLog
from skorch.utils import is_dataset, to_device

from ._batching import TensorBatches, TensorDataset, TrainingBatch, dataset_tensors
from .base import LogitClassifierMixin, TorchModel
from .base import restored_on_failure
from .callbacks import (
    EpochProgressBar,
    KeepBestValidation,
    RaiseOnNonFiniteLoss,
    StopAtTarget,
    StopTraining,
    ValidationAccuracy,
)
from .networks import available_networks, get_network
from .utils._device import resolve_device
from .utils._labels import encode_labels
from .utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    RegisteredName,
    StrOptions,
    SubclassOf,
    TorchDevice,
    validate_parameter_constraints,
)
from .utils._random import draw_seed, seeded_torch


class SBNetClassifier(LogitClassifierMixin, NeuralNetClassifier):
    """A PyTorch network trained as a scikit-learn classifier.

    A :class:`skorch.NeuralNetClassifier` set up for the paper's experiments:
    networks chosen by name, cross-entropy on the logits, the paper's
    stopping rule, CUDA when present, and mini-batches sliced from tensors
    already on the device. It accepts numpy arrays of any numeric dtype,
    pandas DataFrames and image arrays ``(n, C, H, W)``, labels of any type,
    and works in :class:`~sklearn.pipeline.Pipeline`,
    :class:`~sklearn.model_selection.GridSearchCV`, ``clone`` and pickling.
    Every skorch option keeps working (``optimizer__momentum``,
    ``module__width``, ``callbacks``, ``warm_start``, ...).

    Read more in the :ref:`User Guide <estimator>`.

    Parameters
    ----------
    module : str, torch.nn.Module subclass or instance, default='fcn'
        A registered network name (see
        :func:`sklearn_sb.networks.available_networks`) or a module. Its
        constructor receives ``n_features``, ``n_classes`` and
        ``input_shape`` from the data when it takes them, and
        ``module__*`` parameters, e.g. ``module__width=100,
        module__depth=2``.
    criterion : torch loss class or None, default=None
        None uses the module's ``default_criterion`` when it declares one
        (the Theorem 1 network declares the hinge loss), else
        :class:`torch.nn.CrossEntropyLoss` on the logits.
    optimizer : torch optimizer class, default=torch.optim.SGD
        Options as ``optimizer__momentum``, ``optimizer__weight_decay``...
    lr : float, default=0.1
        Learning rate.
    max_epochs : int, default=20
        Maximum number of passes over the training data.
    batch_size : int, default=256
        Mini-batch size; -1 for full-batch gradient descent.
    target_accuracy : float or None, default=None
        Stop once the accuracy on the whole training set reaches this value
        (checked after every epoch), e.g. 0.9999 for the paper's LMS-5 recipe.
    target_loss : float or None, default=None
        Stop once the training loss falls below this value.
    method : TrainingMethod or None, default=None
        A training method of :mod:`sklearn_sb.mitigation` (e.g.
        :class:`~sklearn_sb.mitigation.AdversarialTraining`), which may
        replace every training batch and change the loss; its options are
        grid-searchable as ``method__eps``, ... None trains on the batches
        with the criterion alone.
    train_split : callable or None, default=None
        skorch's validation split, e.g. ``skorch.dataset.ValidSplit(0.1)``.
        With one, ``valid_acc`` is recorded and the weights of the best
        validation epoch are kept.
    device : {'auto', 'cpu', 'cuda'} or str, default='auto'
        'auto' picks CUDA when available, else the CPU.
    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation and the batch order. The same integer gives
        the same weights on the CPU.
    verbose : int, default=0
        0 is silent, 1 shows a progress bar over the epochs, 2 also prints
        skorch's table of metrics per epoch.
    **kwargs
        Other skorch parameters (``callbacks``, ``warm_start``,
        ``iterator_train__shuffle``, ``classes``, ...).

    Attributes
    ----------
    module_ : torch.nn.Module
        The trained network.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_features_in_ : int
        Number of features seen during fit (channels for image inputs).
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of the features, when X was a DataFrame with string columns.
    input_shape_ : tuple of int
        Shape of one training sample.
    device_ : str
        The device the network was trained on.
    side_information_ : tuple of str
        What training used besides the labels: ``('none',)``, or the
        method's ``side_information`` (see
        :ref:`side-information`).
    history_ : skorch.History
        Metrics per epoch: ``train_loss``, and ``train_acc`` with a target,
        ``valid_acc`` and ``valid_loss`` with a validation split.

    See Also
    --------
    sklearn_sb.networks : The networks available by name.

    Examples
    --------
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> X, y = make_lms(2000, 10, random_state=0)
    >>> clf = SBNetClassifier("fcn", module__width=50, max_epochs=10,
    ...                       random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.95
    True
    >>> clf.predict_logits(X[:3]).shape
    (3, 2)
    """

    # Inputs are cast to this dtype; tools that copy X for the network (the
    # randomized scorers) make their copy in it directly.
    _input_dtype = np.float32

    # Constructor parameters whose values are scikit-learn estimators: their
    # own parameters are set as sklearn nests them ("method__eps").
    _estimator_params = ("method",)

    _parameter_constraints = {
        "module": [RegisteredName(available_networks), SubclassOf(torch.nn.Module),
                   torch.nn.Module],
        "criterion": [SubclassOf(torch.nn.Module), torch.nn.Module, None],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left"), Options(Integral, {-1})],
        "target_accuracy": [Interval(Real, 0, 1, closed="right"), None],
        "target_loss": [Interval(Real, 0, None, closed="neither"), None],
        "method": [HasMethods(["transform_batch", "adjust_loss", "train_step"]), None],
        "optimizer": [SubclassOf(torch.optim.Optimizer), callable],
        "train_split": [callable, None],
        "classes": ["array-like", None],
        "callbacks": [list, tuple, StrOptions({"disable"}), None],
        "iterator_train": [callable],
        "iterator_valid": [callable],
        "dataset": [callable],
        "predict_nonlinearity": [StrOptions({"auto"}), callable, None],
        "warm_start": ["boolean"],
        "compile": ["boolean"],
        "use_caching": [StrOptions({"auto"}), "boolean"],
        "torch_load_kwargs": [dict, None],
        "device": [StrOptions({"auto"}), TorchDevice()],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        module="fcn",
        *,
        criterion=None,
        optimizer=torch.optim.SGD,
        lr=0.1,
        max_epochs=20,
        batch_size=256,
        target_accuracy=None,
        target_loss=None,
        method=None,
        train_split=None,
        device="auto",
        random_state=None,
        verbose=0,
        **kwargs,
    ):
        super().__init__(
            module,
            criterion=criterion,
            optimizer=optimizer,
            lr=lr,
            max_epochs=max_epochs,
            batch_size=batch_size,
            train_split=train_split,
            device=device,
            verbose=verbose,
            **kwargs,
        )
        self.target_accuracy = target_accuracy
        self.target_loss = target_loss
        self.method = method
        self.random_state = random_state

    # -- set-up --------------------------------------------------------------

    @property
    def _default_callbacks(self):
        callbacks = [
            ("epoch_timer", EpochTimer()),
            ("train_loss", PassthroughScoring(name="train_loss", on_train=True)),
            ("finite_loss", RaiseOnNonFiniteLoss()),
        ]
        if self.train_split is not None:
            callbacks += [
                ("valid_loss", PassthroughScoring(name="valid_loss")),
                ("valid_acc", ValidationAccuracy()),
                ("keep_best", KeepBestValidation()),
            ]
        if self.target_accuracy is not None or self.target_loss is not None:
            callbacks.append(
                ("stop_at_target", StopAtTarget(self.target_accuracy, self.target_loss))
            )
        verbose = self.verbose if isinstance(self.verbose, Integral) else 0
        if verbose == 1:
            callbacks.append(("progress_bar", EpochProgressBar()))
        elif verbose > 1:
            callbacks.append(("print_log", PrintLog()))
        return callbacks

    def set_params(self, **params):
        # skorch keeps "prefix__name" keys as attributes of the net; a
        # parameter holding an estimator (the training method) gets
        # scikit-learn's nested parameters instead.
        nested = {
            key: params.pop(key) for key in list(params) if self._is_nested_estimator_param(key)
        }
        super().set_params(**params)
        for key, value in nested.items():
            name, sub_name = key.split("__", 1)
            holder = getattr(self, name)
            if holder is None:
                raise ValueError(
                    f"Cannot set {key!r}: {name}=None. Set {name} to an estimator first."
                )
            holder.set_params(**{sub_name: value})
        return self

    def _is_nested_estimator_param(self, key):
        name, nested, _ = key.partition("__")
        return bool(nested) and name in self._estimator_params

    def _get_param_names(self):
        # skorch lists every attribute not ending in "_" as a parameter,
        # including its private bookkeeping.
        return [name for name in super()._get_param_names() if not name.startswith("_")]

    def _check_params(self):
        validate_parameter_constraints(
            self._parameter_constraints,
            self.get_params(deep=False),
            caller_name=type(self).__name__,
        )
        if self.method is not None:
            self.method._validate_params()

    def initialize_module(self):
        kwargs = self.get_params_for("module")
        module = self.module
        if isinstance(module, str):
            module = get_network(module)
        if isinstance(module, type):
            kwargs = {**self._module_kwargs_from_data(module), **kwargs}
        try:
            self.module_ = self.initialized_instance(module, kwargs)
        except InvalidParameterError as error:
            raise InvalidParameterError(
                f"{error} (The network's options are set on {type(self).__name__} "
                "as module__<name>, e.g. module__width.)"
            ) from error
        return self

    def _module_kwargs_from_data(self, module_class):
        """``n_features``, ``n_classes``, ``input_shape`` where the module takes them."""
        if not hasattr(self, "input_shape_"):
            return {}
        from_data = {
            "n_features": math.prod(self.input_shape_),
            "n_classes": len(self.classes_),
        }
        if len(self.input_shape_) > 1:
            from_data["input_shape"] = self.input_shape_
        accepted = inspect.signature(module_class).parameters
        return {key: value for key, value in from_data.items() if key in accepted}

    def initialize_criterion(self):
        criterion = self.criterion
        if criterion is None:
            criterion = getattr(self.module_, "default_criterion", torch.nn.CrossEntropyLoss)
        self.criterion_ = self.initialized_instance(
            criterion, self.get_params_for("criterion")
        )
        return self

    @contextlib.contextmanager
    def _on_device(self, device):
        """Let skorch's internals, which read ``self.device``, see ``device``."""
        requested = self.device
        self.device = device
        try:
            yield
        finally:
            self.device = requested

    # -- data ----------------------------------------------------------------

    def _validate_training_data(self, X, y):
        """Checked float32 X, encoded y and the classes, without touching self."""
        if isinstance(X, torch.Tensor):
            X = X.detach().cpu().numpy()
        X, y = check_X_y(X, y, dtype=self._input_dtype, allow_nd=True)
        check_classification_targets(y)
        classes = np.unique(y) if self.classes is None else np.asarray(self.classes)
        if len(classes) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in y; "
                f"got 1 class ({classes[0]!r})."
            )
        return X, encode_labels(y, classes), classes

    def _validate_inference_data(self, X):
        check_is_fitted(self)
        if isinstance(X, torch.Tensor):
            X = X.detach().cpu().numpy()
        X = validate_data(self, X, reset=False, dtype=self._input_dtype, allow_nd=True)
        if X.shape[1:] != self.input_shape_:
            raise ValueError(
                f"X has samples of shape {X.shape[1:]}, but {type(self).__name__} "
                f"was fitted on samples of shape {self.input_shape_}."
            )
        return X

    def get_dataset(self, X, y=None):
        if is_dataset(X):
            return X
        X = self._to_device_tensor(torch.as_tensor(X))
        if y is not None:
            y = self._to_device_tensor(torch.as_tensor(y))
        return TensorDataset(X, y)

    def _to_device_tensor(self, tensor):
        """Move ``tensor`` to the device when it fits comfortably there."""
        device = torch.device(self.device)
        if device.type == "cuda":
            free, _ = torch.cuda.mem_get_info(device)
            if tensor.nbytes > free // 4:
                return tensor.pin_memory()
        return tensor.to(device)

    def get_iterator(self, dataset, training=False):
        tensors = dataset_tensors(dataset)
        if tensors is None:
            return super().get_iterator(dataset, training=training)
        X, y, rows = tensors
        kwargs = self.get_params_for("iterator_train" if training else "iterator_valid")
        batch_size = kwargs.get("batch_size", self.batch_size)
        if batch_size == -1:
            batch_size = len(X)
        shuffle = kwargs.get("shuffle", True) if training else False
        # A training method's hooks see where each batch's rows are.
        with_rows = training and self.method is not None
        return TensorBatches(X, y, batch_size, shuffle=shuffle, device=self.device,
                             rows=rows if with_rows else False)

    def train_step_single(self, batch, **fit_params):
        if self.method is None:
            return super().train_step_single(batch, **fit_params)
        X, y, *rows = batch
        X, y = self.method.transform_batch(self, X, y)

        def step(X, y):
            return super(SBNetClassifier, self).train_step_single((X, y), **fit_params)

        return self.method.train_step(self, TrainingBatch(X, y, *rows), step)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        method = self.method if training else None
        loss = (None if method is not None and method.replaces_criterion
                else super().get_loss(y_pred, y_true, X=X, training=training))
        return loss if method is None else method.adjust_loss(self, X, y_true, y_pred, loss)

    def _set_training(self, training=True):
        # skorch switches modes before every batch; walking the module tree
        # each time is a measurable share of an epoch for small networks.
        for name in self._modules + self._criteria:
            module = getattr(self, name + "_")
            if isinstance(module, torch.nn.Module) and module.training != training:
                module.train(training)

    def check_data(self, X, y=None):
        # fit and partial_fit validate the data before skorch sees it.
        pass

    # -- training ------------------------------------------------------------

    def fit(self, X, y, **fit_params):
        """Train the network on ``(X, y)``.

        The network is re-initialized unless ``warm_start=True``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W)
            Training inputs, cast to float32.
        y : array-like of shape (n_samples,)
            Labels of any type.
        **fit_params : dict
            Passed to the module's forward method.

        Returns
        -------
        self : SBNetClassifier
        """
        return self._fit(X, y, reset=not (self.warm_start and self.initialized_), **fit_params)

    def partial_fit(self, X, y, classes=None, **fit_params):
        """Continue training for ``max_epochs`` epochs, initializing only once.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W)
        y : array-like of shape (n_samples,)
        classes : ignored
            The classes are those of the first call, or the ``classes``
            parameter.
        **fit_params : dict
            Passed to the module's forward method.

        Returns
        -------
        self : SBNetClassifier
        """
        return self._fit(X, y, reset=not self.initialized_, **fit_params)

    def _fit(self, X, y, *, reset, **fit_params):
        self._check_params()
        X_checked, y_encoded, classes = self._validate_training_data(X, y)
        if not reset:
            validate_data(self, X, reset=False, skip_check_array=True)
            self._check_same_data_layout(X_checked, classes)
        device = resolve_device(self.device)
        with restored_on_failure(self), self._on_device(device), \
                seeded_torch(self.random_state, device):
            if reset:
                validate_data(self, X, reset=True, skip_check_array=True)
                self.classes_inferred_ = classes
                self.input_shape_ = X_checked.shape[1:]
                self.device_ = device
                self.initialize()
            self._train(X_checked, y_encoded, **fit_params)
            self.side_information_ = (
                ("none",) if self.method is None else tuple(self.method.side_information)
            )
        return self

    def _train(self, X, y, **fit_params):
        """skorch's ``partial_fit`` loop, except that an interrupt propagates."""
        self.notify("on_train_begin", X=X, y=y)
        try:
            self.fit_loop(X, y, **fit_params)
        except StopTraining:
            pass
        self.notify("on_train_end", X=X, y=y)

    def get_split_datasets(self, X, y=None, **fit_params):
        # A validation split without a random_state (skorch's ValidSplit by
        # default) draws from numpy's global generator: give a copy of it a
        # seed drawn from ours, so that equal seeds give equal splits.
        split = self.train_split
        if self.random_state is None or getattr(split, "random_state", 0) is not None:
            return super().get_split_datasets(X, y, **fit_params)
        seeded = copy.copy(split)
        seeded.random_state = draw_seed(self.random_state)
        self.train_split = seeded
        try:
            return super().get_split_datasets(X, y, **fit_params)
        finally:
            self.train_split = split

    def _check_same_data_layout(self, X, classes):
        if X.shape[1:] != self.input_shape_ or not np.array_equal(classes, self.classes_):
            raise ValueError(
                f"Continued training needs data like the first fit's: samples of "
                f"shape {self.input_shape_} and classes {list(self.classes_)}; got "
                f"shape {X.shape[1:]} and classes {list(classes)}."
            )

    # -- prediction ----------------------------------------------------------

    def forward_iter(self, X, training=False, device="cpu"):
        with self._on_device(getattr(self, "device_", resolve_device(self.device))):
            iterator = self.get_iterator(self.get_dataset(X), training=False)
            self._set_training(training)
            with torch.set_grad_enabled(training):
                for X_batch, _ in iterator:
                    yield to_device(self.infer(X_batch), device=device)

    def predict_logits(self, X):
        """The network's raw outputs, one logit per class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, C, H, W)

        Returns
        -------
        logits : ndarray of shape (n_samples, n_classes), float32
        """
        X = self._validate_inference_data(X)
        return self.forward(X).numpy()

    def torch_model(self):
        """The network's module, and how inputs reach it (the method contract).

        Returns
        -------
        model : TorchModel
            ``module_`` on the fitted device, with the classes, the sample
            shape and the input dtype.
        """
        check_is_fitted(self)
        return TorchModel(modules=[self.module_], device=torch.device(self.device_),
                          classes=np.asarray(self.classes_),
                          input_shape=tuple(self.input_shape_), dtype=self._input_dtype)

    # -- persistence ---------------------------------------------------------

    def __setstate__(self, state):
        # skorch maps the saved tensors to state['device']; 'auto' must become
        # a real device of the loading machine first.
        requested = state["device"]
        state["device"] = resolve_device(requested)
        super().__setstate__(state)
        if "device_" in state:
            self.device_ = str(self.device)
        if requested == "auto":
            self.device = "auto"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.non_deterministic = self.random_state is None
        return tags
