# needs: fr
