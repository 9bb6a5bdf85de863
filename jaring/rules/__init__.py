"""Pure business rules: dated data in, numbers out. No Django import anywhere in this package."""
