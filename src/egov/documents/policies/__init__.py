"""Who may see and do what with official documents. One module per area, re-exported here."""

from egov.documents.policies.incoming import *  # noqa: F403
from egov.documents.policies.outgoing import *  # noqa: F403
from egov.documents.policies.workfiles import *  # noqa: F403
