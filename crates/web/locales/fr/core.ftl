# L’interface web en français. Mêmes messages que en.ftl (un test le vérifie).

## Mise en page
skip-to-content = Aller au contenu
nav-label = Principal
nav-overview = Vue d’ensemble
nav-members = Membres
nav-groups = Groupes
nav-lines = Axes d’effort
nav-requirements = Besoins
nav-who = Qui fait quoi où
nav-indicators = Indicateurs
nav-allocation = Répartition
nav-funds = Fonds
nav-meetings = Réunions
nav-commitments = Engagements
nav-digest = Résumé
nav-plenary-report = Rapport plénier
nav-reports = Rapports
nav-search = Recherche
nav-notes = Notes
nav-contacts = Contacts
nav-screening = Criblage
nav-administration = Administration
nav-peers = Nœud et pairs
signed-in-as = Connecté en tant que
role-viewer = lecteur
role-contributor = contributeur
role-coordinator = coordinateur
role-admin = administrateur
scenario-as-of = Scénario de démonstration au
scenario-explained = Les échéances dépassées et le rapport plénier sont jugés à ce jour, non à aujourd’hui
log-out = Se déconnecter
language = Langue
language-change = Changer
footer = coalesce · coordination et partage d’information de la coalition
any = tous
none = Aucun.
and-more = et { $count } de plus

## Mois
month-1 = janv.
month-2 = févr.
month-3 = mars
month-4 = avr.
month-5 = mai
month-6 = juin
month-7 = juil.
month-8 = août
month-9 = sept.
month-10 = oct.
month-11 = nov.
month-12 = déc.

## Connexion, erreurs
login-title = Connexion
login-username = Nom d’utilisateur
login-password = Mot de passe
login-submit = Se connecter
login-wrong = Nom d’utilisateur ou mot de passe incorrect.
back-to-overview = Retour à la vue d’ensemble
error-title-400 = Requête incorrecte
error-title-403 = Accès refusé
error-title-404 = Introuvable
error-title-409 = Conflit
error-title-413 = Trop volumineux
error-title-422 = Non valide
error-title-429 = Trop de tentatives
error-title-500 = Une erreur s’est produite
error-title-503 = Indisponible pour le moment

## Accueil
home-title = Vue d’ensemble
home-heading = La coalition en un coup d’œil
home-waiting-for = En attente pour { $member }
home-nothing-waits = Rien n’attend { $member } : aucune livraison à confirmer, aucune promesse à engager, aucune proposition à laquelle répondre, aucune correspondance de criblage à examiner, aucune action échue.
home-unread = { $count ->
    [one] { $count } avis non lu dans votre résumé
   *[other] { $count } avis non lus dans votre résumé
}
home-my-requirements = Besoins de { $member }
home-my-contributions = Contributions de { $member }
home-post-requirement = Publier un besoin
home-pledge = Promettre une contribution
home-in-numbers = En chiffres
home-members = { $count ->
    [one] membre
   *[other] membres
}
home-states = { $count ->
    [one] État
   *[other] États
}
home-organisations = { $count ->
    [one] organisation
   *[other] organisations
}
home-partners = { $count ->
    [one] nation partenaire
   *[other] nations partenaires
}
home-groups = { $count ->
    [one] groupe
   *[other] groupes
}
home-notes = { $count ->
    [one] note diffusable à { $member }
   *[other] notes diffusables à { $member }
}
home-lines = Axes d’effort
home-my-groups = Groupes dont { $member } fait partie
home-group-members = { $count ->
    [one] { $count } membre
   *[other] { $count } membres
}
home-latest-notes = Dernières notes
home-all-notes = Toutes les notes
home-share-note = Partager une note
task-deliveries-to-confirm = Livraisons à confirmer
task-deliveries-to-confirm-hint = confirmez ce que vous avez reçu, avec la quantité
task-requirements-to-confirm = Besoins enregistrés en votre nom
task-requirements-to-confirm-hint = confirmez que vous les demandez
task-contributions-to-confirm = Contributions qui vous nomment
task-contributions-to-confirm-hint = confirmez que vous contribuez
task-pledges-to-commit = Promesses à engager
task-pledges-to-commit-hint = engagez-les quand elles sont fermes
task-proposals-to-decide = Propositions de répartition à trancher
task-proposals-to-decide-hint = acceptez-les ou refusez-les
task-proposals-to-commit = Propositions acceptées à engager
task-proposals-to-commit-hint = engagez votre part de l’offre
task-screening-matches = Correspondances de criblage après une mise à jour de liste
task-screening-matches-hint = examinez les correspondances sur vos enregistrements
task-actions-due = Actions à échéance
task-actions-due-hint = rendez compte de l’avancement ou marquez-les faites
task-overdue-since = en retard depuis le { $due } ({ $meeting })
task-due = échéance le { $due } ({ $meeting })

## Tableau des notes
notes-only-releasable = Seules les notes diffusables à { $member } sont affichées.
notes-col-title = Titre
notes-col-marking = Marquage
notes-col-from = De
notes-col-updated = Mise à jour
notes-none = Aucune note diffusable à { $member }.

## Types d’enregistrements
report-kind-foreign-fighter-travel = Déplacement de combattants étrangers
report-kind-financing = Financement
report-kind-situation-report = Rapport de situation
report-kind-counter-messaging = Contre-discours
report-kind-stabilisation-assessment = Évaluation de stabilisation
entity-kind-person = personne
entity-kind-organisation = organisation
entity-kind-vessel = navire
entity-kind-place = lieu

## Recherche
search-title = Recherche
search-words = Mots
search-records = Enregistrements
search-records-any = rapports et entités
search-records-reports = rapports
search-records-entities = entités
search-kind = Type
search-member = Du membre
search-line = Axe d’effort
search-marking = Marquage
search-from = Survenu du
search-until = au
search-submit = Rechercher
search-hint = Chaque mot doit figurer. Les noms sont trouvés quelle que soit leur graphie ou translittération (Youssef, Yusuf, يوسف), comme le criblage les rapproche.
search-also = A aussi cherché
search-also-for = « { $also } » pour « { $asked } »
search-also-why = {"\u00A0"}: les graphies des noms que vous pouvez lire.
search-results = { $count ->
    [one] { $count } résultat parmi ce que vous pouvez lire.
   *[other] { $count } résultats parmi ce que vous pouvez lire.
}
search-narrow = Affiner les résultats
search-hit-from = { $kind } de { $member }
search-save-as = Enregistrer cette recherche sous
search-save = Enregistrer
search-saved = Vos recherches enregistrées
search-saved-none = Aucune pour l’instant : cherchez, puis enregistrez la recherche sous un nom pour la relancer plus tard.
search-delete = Supprimer
search-delete-saved = Supprimer la recherche enregistrée { $name }

## Le marquage d’un enregistrement : TLP et REL TO (chaque formulaire qui en écrit un)
marking-tlp = Niveau TLP
marking-clear = tout le monde
marking-green = la communauté nommée ci-dessous
marking-amber = les membres nommés ci-dessous, selon le besoin d’en connaître
marking-amber-strict = leurs seules organisations
marking-red = les personnes nommées, pour elles seules (ne va qu’aux nœuds des membres nommés directement)
rel-to-legend = Diffusable à
rel-to-hint = { $member } (votre membre) est toujours inclus. Cochez qui d’autre peut le lire : toute la coalition, un groupe, ou des membres un par un.
rel-to-coalition = Toute la coalition (COALITION)
rel-to-members = { $count ->
    [one] Un membre nommément
   *[other] Membres nommément ({ $count })
}
rel-to-other = Autres codes (codes de membres ou GROUP:slug, séparés par des virgules ou des espaces)
marking-default-meeting = Marquage (par défaut : celui de la réunion)
admin-scope-member = Vous gérez uniquement les utilisateurs de { $member } : ceux des autres membres et leurs jetons d’API sont gérés par leurs propres administrateurs ou par ceux du secrétariat.
