# records: ar
