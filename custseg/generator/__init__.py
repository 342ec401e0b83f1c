"""The synthetic landing-zone generator (`custseg generate`)."""
