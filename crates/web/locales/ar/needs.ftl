# needs: ar
