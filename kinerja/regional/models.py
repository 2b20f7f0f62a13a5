"""Development areas (kawasan) and strategic projects of Perpres 80/2019."""
