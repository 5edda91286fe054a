"""Matplotlib backend of the sandbox (docker and local): Agg, where ``plt.show()`` saves
the open figures, and figures left open when the program ends are saved too.

Selected with MPLBACKEND=module://codesteer_mpl. The figures land in the work
directory as figure-<n>.png, where the sandbox collects every PNG after the run. A
figure the program saved itself (``savefig``) is not saved a second time.
"""

import os

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg


class FigureCanvas(FigureCanvasAgg):
    def print_figure(self, *args, **kwargs):
        # Marks the figure as saved by the program, so save_open_figures leaves it alone.
        self.figure._codesteer_saved = True
        return super().print_figure(*args, **kwargs)


FigureManager = FigureManagerBase


def _free_name(number) -> str:
    name = f"figure-{number}.png"
    suffix = 1
    while os.path.exists(name):
        suffix += 1
        name = f"figure-{number}-{suffix}.png"
    return name


def _save(manager) -> None:
    manager.canvas.figure.savefig(_free_name(manager.num), format="png")


def show(*args, **kwargs):
    """Save every open figure as PNG and close it, as a window being closed would."""
    from matplotlib import _pylab_helpers

    for manager in _pylab_helpers.Gcf.get_all_fig_managers():
        _save(manager)
    _pylab_helpers.Gcf.destroy_all()


def save_open_figures() -> None:
    """At the end of a run: save the figures still open that the program did not save, then close all."""
    from matplotlib import _pylab_helpers

    for manager in _pylab_helpers.Gcf.get_all_fig_managers():
        if not getattr(manager.canvas.figure, "_codesteer_saved", False):
            _save(manager)
    _pylab_helpers.Gcf.destroy_all()
