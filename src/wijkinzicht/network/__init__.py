"""Module 2 of PRODUCT.md: who works with whom (issue 16). For now the command line on plain files;
the measures are in wijkinzicht.analysis.network."""
