# Datakamp analysis images: Jupyter Notebook settings (read-only, in /etc/jupyter).
# The server listens on a UNIX socket only (see datakamp-notebook); the host proxies to it.
c = get_config()  # noqa: F821
c.NotebookApp.open_browser = False
c.NotebookApp.allow_root = False
c.NotebookApp.password_required = False      # token auth (JUPYTER_TOKEN); the host's proxy adds its own
c.NotebookApp.allow_password_change = False
c.NotebookApp.quit_button = False            # the host owns the server's life cycle
c.NotebookApp.terminals_enabled = True       # a shell inside the same isolated container
c.NotebookApp.notebook_dir = "/workspace"
# Nothing phones home: no nbextension/version checks, no remote MathJax (Debian's local copy is used).
c.NotebookApp.nbserver_extensions = {}
c.NotebookApp.enable_mathjax = True           # MathJax from the local copy in the image
c.NotebookApp.log_level = "WARN"
