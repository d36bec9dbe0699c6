# Report snapshots and generated files arrive with the Excel reports issue.
