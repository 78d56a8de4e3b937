"""Conversations: one module per conversation, wired through a command registry.

Importing ``handlers.all`` registers every command, postback and flow.
"""
