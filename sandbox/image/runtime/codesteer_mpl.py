"""Matplotlib backend of the sandbox: Agg, where ``plt.show()`` saves the open figures.

Selected with MPLBACKEND=module://codesteer_mpl. The figures land in the work
directory as figure-<n>.png, where the supervisor collects them after the run.
"""

import os

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


def _free_name(number) -> str:
    name = f"figure-{number}.png"
    suffix = 1
    while os.path.exists(name):
        suffix += 1
        name = f"figure-{number}-{suffix}.png"
    return name


def show(*args, **kwargs):
    """Save every open figure as PNG and close it, as a window being closed would."""
    from matplotlib import _pylab_helpers

    for manager in _pylab_helpers.Gcf.get_all_fig_managers():
        manager.canvas.figure.savefig(_free_name(manager.num), format="png")
    _pylab_helpers.Gcf.destroy_all()
