"""When the law changes: review dates, impact, and the legislation.gov.uk changes feed."""
