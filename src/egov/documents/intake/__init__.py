"""The intake pipeline's pure functions over bytes and text (no models): detect the real type of an upload,
extract its text, OCR a scan, suggest the document's metadata. Services and tasks call them."""


class StepError(Exception):
    """A step could not finish; ``message`` is the Vietnamese reason shown to the clerk."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
