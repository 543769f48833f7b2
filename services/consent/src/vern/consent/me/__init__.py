"""A client's own newsletter consents ("Mine opplysninger"), for an address they have proven."""
