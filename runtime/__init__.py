"""Runtime wiring shared by the worker, the command line, the demo and the web app: settings, logging, the payload
codec, the client and the worker."""
