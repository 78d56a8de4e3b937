"""Thai vocabularies the parsers match against, gathered in one package.

Each submodule holds the words of one domain (time, statuses, plan documents,
scores) so a reader sees every Thai word the parsers know in one place.
"""
