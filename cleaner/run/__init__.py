"""The run: the page step (page.py), the engines that drive it (engine.py local, dask_engine.py), and
the whole run over inputs (runner.py)."""
