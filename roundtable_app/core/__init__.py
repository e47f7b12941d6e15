"""Plain data classes and pure algorithms: no Qt, no database."""
