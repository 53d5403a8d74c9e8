from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "shelfwise.programs"
    label = "programs"

    def ready(self) -> None:
        # An aide holds the circulation desk only during one of their shifts
        # (issue 7); people.permissions asks this app, which owns shifts.
        from shelfwise.people.permissions import grant_condition
        from shelfwise.people.roles import Role
        from shelfwise.programs.selectors import aide_on_shift

        grant_condition(Role.AIDE, "circulation.desk", aide_on_shift)
