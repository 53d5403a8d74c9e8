from django.apps import AppConfig


class InstructionConfig(AppConfig):
    name = "shelfwise.instruction"
    label = "instruction"
