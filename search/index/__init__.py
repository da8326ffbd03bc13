"""The archive's index on disk: which generation is live and who may write
(`store`), kept in line with raw/ (`indexer`), built anew in parallel (`build`)."""
