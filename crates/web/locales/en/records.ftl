# records: en
