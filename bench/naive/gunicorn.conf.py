"""Gunicorn settings of the naive build, given with `-c` so the repository's gunicorn.conf.py
(production's bind and worker count) is not read. Bind, workers and timeout come from
the command line (bench/targets/naive.py); access logs are off, as gunicorn's default."""

import os

wsgi_app = "bench.naive.wsgi:application"
proc_name = "timeline-naive"
# As production: the workers' heartbeat files in memory, and no control socket in $HOME.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable = True
