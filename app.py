"""The web chat: ``python app.py [--host H] [--port P]`` (see ``qa/web/``)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run from a checkout without installing

from qa.web import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
