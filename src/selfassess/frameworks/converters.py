"""URL converter for statement reference ids such as 1.1 or 5.5."""


class StatementRefConverter:
    regex = r"[0-9]{1,3}\.[0-9]{1,3}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
