"""Discord-facing pieces shared by the cogs: the client, error-owning tree, cards, buttons, translator."""
