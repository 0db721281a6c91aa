# Plain-Python engines of the dialer: calling windows, pacing and the pacing
# simulator. Nothing here imports Odoo, so the simulation command can load the
# package on its own; the models import the modules they need explicitly.
