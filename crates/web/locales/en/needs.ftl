# needs: en
