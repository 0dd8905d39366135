"""JSON Schema for a framework definition file (YAML). docs/formats.md describes it."""

# A toolkit's scale runs 0, 1, 2, ... up to at most this (the LGA's runs 0 to 2). Each
# assessment checks its scores against its own toolkit's scale (assessments.services
# .check_scores); the database can only hold the bound every toolkit shares.
SCALE_VALUE_MAX = 9

# A statement's optional guidance (frameworks/guidance.py reads it). A suggested action's
# text keeps within what a forward plan action holds (plans.services.LIMITS), so that
# one can be added to a plan as it stands.
GUIDANCE_SCHEMA: dict = {
    "type": "object",
    "additionalProperties": False,
    "required": ["partial", "comprehensive", "evidence", "actions"],
    "properties": {
        "partial": {"type": "string", "minLength": 1},
        "comprehensive": {"type": "string", "minLength": 1},
        "evidence": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "minLength": 1, "maxLength": 300},
        },
        "actions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "description", "lead", "partners", "scores"],
                "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 200},
                    "description": {"type": "string", "minLength": 1, "maxLength": 5000},
                    "lead": {"type": "string", "maxLength": 200},
                    "partners": {"type": "string", "maxLength": 300},
                    "scores": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {"type": "integer", "minimum": 0, "maximum": SCALE_VALUE_MAX},
                    },
                },
            },
        },
    },
}

FRAMEWORK_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "version", "title", "aim", "scale", "principles"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"},
        "version": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"},
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "subtitle": {"type": "string", "maxLength": 200},
        "publisher": {"type": "string", "maxLength": 200},
        "published_on": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "aim": {"type": "string", "minLength": 1},
        "scale": {
            "type": "array",
            "minItems": 2,
            "maxItems": 10,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["value", "label", "long_label", "definition"],
                "properties": {
                    "value": {"type": "integer", "minimum": 0, "maximum": SCALE_VALUE_MAX},
                    "label": {"type": "string", "minLength": 1, "maxLength": 100},
                    "long_label": {"type": "string", "minLength": 1, "maxLength": 200},
                    "definition": {"type": "string", "minLength": 1},
                },
            },
        },
        "survey": {
            "type": "object",
            "additionalProperties": False,
            "required": ["statement_question", "answers", "dont_know", "comment_prompt"],
            "properties": {
                "statement_question": {"type": "string", "minLength": 1},
                "answers": {
                    "type": "array",
                    "minItems": 2,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["value", "label"],
                        "properties": {
                            "value": {"type": "integer", "minimum": 0, "maximum": SCALE_VALUE_MAX},
                            "label": {"type": "string", "minLength": 1},
                            "hint": {"type": "string"},
                        },
                    },
                },
                "dont_know": {"type": "string", "minLength": 1},
                "comment_prompt": {"type": "string", "minLength": 1},
                "experience": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["title", "questions"],
                    "properties": {
                        "title": {"type": "string", "minLength": 1},
                        "introduction": {"type": "string"},
                        "questions": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["id", "text", "type", "options"],
                                "properties": {
                                    "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"},
                                    "text": {"type": "string", "minLength": 1},
                                    "hint": {"type": "string"},
                                    "type": {"enum": ["single", "multiple"]},
                                    "options": {
                                        "type": "array",
                                        "minItems": 2,
                                        "items": {"type": "string", "minLength": 1},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        "principles": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["number", "title", "theme", "description", "statements"],
                "properties": {
                    "number": {"type": "integer", "minimum": 1},
                    "title": {"type": "string", "minLength": 1, "maxLength": 200},
                    "theme": {"type": "string", "minLength": 1, "maxLength": 200},
                    "description": {"type": "string", "minLength": 1},
                    "statements": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["ref", "text"],
                            "properties": {
                                "ref": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+$"},
                                "text": {"type": "string", "minLength": 1},
                                "guidance": GUIDANCE_SCHEMA,
                            },
                        },
                    },
                },
            },
        },
    },
}
