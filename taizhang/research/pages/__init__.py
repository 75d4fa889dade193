"""The research app's pages, one module per feature. Lists show the user's subtree;
writes go through the services, which check the user's role and scope again."""
