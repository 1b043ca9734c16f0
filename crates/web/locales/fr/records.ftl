# records: fr
