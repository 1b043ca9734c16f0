# records: fr
# Notes, rapports et entités, pages des types du registre d’enregistrements
# (points de contact), versions, réunions et engagements, résumé, criblage
# des sanctions, administration du nœud et pairs. Mêmes messages que
# en/records.ftl (un test le vérifie).

## Mots communs à plusieurs de ces pages
records-marking = Marquage
records-member = Membre
records-versions = Versions
records-version = version { $version }
records-version-changed = version { $version }, modifiée en dernier par { $user } le
records-withdrawn = retiré
records-optional = (facultatif)
records-save-new-version = Enregistrer une nouvelle version
# Entre un nom et ce qui en est dit (« GBR : … »).
records-colon =  :

## D’où vient un enregistrement (_source.html)
source-label = Source
source-illustrative = Illustratif
source-source = Source :
source-outside = Hors des documents :

## Erreurs d’un formulaire (_form_errors.html)
form-errors-count = { $count ->
    [one] { $count } point à corriger
   *[other] { $count } points à corriger
}
form-errors-kept = (ce que vous avez saisi est conservé) :

## Parties d’une contribution (_parties.html)
parties-legend = Parties (facultatif) : qui fournit, transporte, reçoit ou paie. Elles sont criblées au regard des listes de sanctions.
parties-role = Rôle
parties-kind = Type
parties-name = Nom
parties-country = Pays (ISO alpha-3)
parties-role-supplier = Fournisseur
parties-role-carrier = Transporteur
parties-role-consignee = Destinataire
parties-role-implementing_partner = Partenaire de mise en œuvre
parties-role-financial_institution = Établissement financier
parties-role-other = Autre
parties-kind-organisation = Organisation
parties-kind-person = Personne
parties-kind-vessel = Navire

## Notes
notes-title = Notes
notes-count = { $count ->
    [one] { $count } note diffusable à { $member }.
   *[other] { $count } notes diffusables à { $member }.
}
notes-share = Partager une note
notes-older = Notes plus anciennes
note-shared-by = Partagée par
note-shared-on = ({ $user }) le
note-group = groupe
note-edit = Modifier
note-form-new = Partager une note
note-form-edit = Modifier la note
note-form-share = Partager
note-form-title = Titre
note-form-text = Texte
note-form-group = Groupe (facultatif)

## Versions d’une note ou d’un enregistrement
versions-page-title = Versions
versions-of = Versions de
versions-col-version = Version
versions-col-title = Titre
versions-col-changed = Modifié
versions-withdrawn = (retirée)
versions-origin-only = origine seulement
versions-changed-by = { $date } par { $user }
versions-hidden = Les versions dont le marquage n’incluait pas { $member } ne sont pas affichées.

## Pages des types du registre d’enregistrements (record_list, record, record_form)
record-list-count = { $count ->
    [one] { $count } diffusable à { $member }.
   *[other] { $count } diffusables à { $member }.
}
record-list-none = Aucun que { $member } puisse lire.
record-list-older = Plus anciens
record-recorded-by = , enregistré par { $user } le
record-change = Modifier
record-submit = Enregistrer
# Points de contact (/contacts) : leurs pages et leurs champs.
record-contacts-list = Points de contact
record-contacts-new = Enregistrer un point de contact
record-contacts-change = Modifier un point de contact
record-contacts-versions = Versions d’un point de contact
record-contacts-of = Un point de contact de
record-contacts-withdraw = Retirer ce point de contact
record-contacts-field-name = Nom
record-contacts-field-role = Fonction
record-contacts-field-email = Courriel
record-contacts-field-phone = Téléphone

## Rapports
reports-title = Rapports
reports-file = Déposer un rapport
reports-search = Recherche
reports-count = { $count ->
    [one] { $count } rapport que vous pouvez lire.
   *[other] { $count } rapports que vous pouvez lire.
}
reports-kind = Type
reports-filter = Filtrer
reports-col-report = Rapport
reports-col-from = De
reports-col-occurred = Survenu
reports-none = Aucun rapport que vous puissiez lire.
reports-next-page = Page suivante
reports-stix-taxii = STIX et TAXII
reports-download = Téléchargez ce que vous pouvez lire sous forme de
reports-stix-bundle = paquet STIX 2.1
reports-or = , ou
reports-import-one = importez-en un
reports-taxii-at = . Les clients TAXII 2.1 trouvent ce nœud à
reports-api-root = (racine d’API
reports-collection = , collection
reports-taxii-auth = , « Coalition »), avec HTTP Basic : votre nom d’utilisateur et votre mot de passe, ou un jeton d’API comme mot de passe. Il sert exactement ce que votre membre peut lire.

## Un rapport
report-from = { $kind } de
report-occurred = survenu le { $date }
report-details = Détails
report-route = Itinéraire
report-leg-origin = origine
report-leg-transit = transit
report-leg-destination = destination
report-documents = Documents
report-commodity = Marchandise
report-commodity-crude-oil = pétrole brut
report-commodity-refined-products = produits raffinés
report-commodity-cash = espèces
report-commodity-antiquities = antiquités
report-commodity-other = autre
report-quantity = Quantité
report-payments = Paiements
report-payment-on = le { $date }
report-narratives = Discours
report-channels = Canaux
report-about = Au sujet de
report-born = naissance : { $date }
report-no-entity = Aucune entité que vous puissiez lire.
report-versions-title = Versions d’un rapport
report-versions-col-entities = Entités que vous pouvez lire

## Déposer un rapport
report-form-title = Déposer un rapport
report-form-title-field = Titre
report-form-text = Texte
report-form-occurred-on = Survenu le (AAAA-MM-JJ, facultatif)
report-form-existing-entity = Une entité existante ({ $id }).
report-form-entity-kind = Type d’entité
report-form-entity-name = Nom (laisser vide s’il n’y en a pas)
report-form-entity-aliases = Autres noms et graphies, un par ligne (écriture arabe bienvenue)
report-form-entity-birth-date = Date de naissance (AAAA, AAAA-MM ou AAAA-MM-JJ)
report-form-entity-nationality = Nationalité (ISO 3166-1 alpha-3)
report-form-entity-documents = Numéros de documents, un par ligne
report-form-entity-imo = Numéro OMI (navires)
report-form-role = Rôle dans le rapport (p. ex. voyageur, acheteur, navire)
report-form-details = Détails (remplissez ce qui relève du type de rapport)
report-form-route = Déplacement et financement : l’itinéraire.
report-form-route-origin = Pays d’origine (ISO 3166-1 alpha-3)
report-form-route-departed = Parti le (AAAA-MM-JJ)
report-form-route-transit = Pays de transit, dans l’ordre (p. ex. TUR, SYR)
report-form-route-destination = Pays de destination
report-form-route-arrived = Arrivé le (AAAA-MM-JJ)
report-form-documents = Déplacement : documents utilisés, un par ligne
report-form-commodity = Financement : marchandise
report-form-quantity = Financement : quantité (nombre entier)
report-form-quantity-unit = Unité (baril, tonne, litre, camion)
report-form-payment = Financement : un paiement (montant, p. ex. 300000.00)
report-form-payment-currency = Devise (ISO 4217)
report-form-payment-date = Payé le (AAAA-MM-JJ)
report-form-narratives = Contre-discours : discours, un par ligne
report-form-channels = Contre-discours : canaux, un par ligne
report-form-submit = Déposer le rapport

## Une entité
entity-version = Version { $version }
entity-aliases = Également connu sous
entity-born = Naissance
entity-nationality = Nationalité
entity-flag = Pavillon
entity-recorded-by = Enregistré par
entity-reports-about = { $kind ->
    [person] Rapports sur cette personne
   *[other] Rapports à son sujet
}
entity-report-from = { $kind } de { $member }
entity-none = Aucun que vous puissiez lire.
entity-file-report = Déposer un rapport à son sujet
entity-likely-same-as = Probablement identique à
entity-likely-explain = Entités signalées par d’autres membres que vous pouvez lire, notées par l’outil de rapprochement des sanctions (noms, graphies et translittérations ; date de naissance, nationalité et documents comme éléments de preuve).
entity-col-entity = Entité
entity-likely-same = probablement identique
entity-none-found = Aucune trouvée parmi ce que vous pouvez lire.
entity-relationships = Relations
# Comment cette entité est liée à une autre (« possède <l’autre> ») …
entity-rel-travelled-with = a voyagé avec
entity-rel-financed = a financé
entity-rel-owns = possède
entity-rel-operates = exploite
entity-rel-sighted-at = a été vu(e) à
# … et comment une autre lui est liée (« <l’autre> possède celle-ci »).
entity-rel-in-travelled-with = a voyagé avec celle-ci
entity-rel-in-financed = a financé celle-ci
entity-rel-in-owns = possède celle-ci
entity-rel-in-operates = exploite celle-ci
entity-rel-in-sighted-at = a été vu(e) à cet endroit
entity-versions-title = Versions d’une entité
entity-edit = Modifier ses caractéristiques
entity-edit-title = Modifier une entité
entity-edit-kind = Elle reste de type « { $kind } » : le type d’une entité ne change pas.
entity-edit-one-per-line = Un par ligne.
entity-edit-retain-hint = Le jour jusqu’auquel les données personnelles sont conservées ; vide : la durée par défaut du nœud.
entity-edit-birth-hint = AAAA, AAAA-MM ou AAAA-MM-JJ.
entity-edit-country-hint = Le code du pays en trois lettres (ISO 3166-1 alpha-3, par exemple IRQ).
entity-edit-links-kept = Les rapports qui la nomment, ses relations et ses décisions de filtrage restent tels quels.
entity-edit-cancel = Revenir à l’entité sans enregistrer
entity-conflict-heading = Quelqu’un a enregistré cette entité pendant que vous la modifiiez
entity-field-name = Nom
entity-field-retain_until = Données personnelles conservées jusqu’au

## Réunions
meetings-title = Réunions
meetings-intro = Les réunions de la coalition que vous pouvez lire, les plus récentes d’abord, chacune dans son fuseau horaire.
meetings-board = Tableau des engagements
meetings-digest = Votre résumé et votre flux de calendrier
meetings-col-when = Quand (heure locale)
meetings-col-meeting = Réunion
meetings-kind = Type
meetings-col-where = Où
meetings-group = Groupe
meetings-col-attending = Participants
meetings-whole-coalition = toute la coalition
meetings-none = Aucune réunion que vous puissiez lire.
meetings-record = Enregistrer une réunion
meetings-title-field = Titre
meetings-place = Lieu
meetings-starts = Début (heure locale)
meetings-ends = Fin (heure locale)
meetings-time-zone = Fuseau horaire
meetings-host = Hôte (code du membre)
meetings-chair = Présidence (par défaut : l’hôte)
meetings-attendees = Participants (codes des membres)
meetings-level = Niveau
meetings-agenda = Ordre du jour (un point par ligne)
meetings-submit = Enregistrer la réunion
meeting-type-summit = sommet
meeting-type-ministerial = réunion ministérielle
meeting-type-plenary = plénière
meeting-type-small_group = groupe restreint
meeting-type-working_group = groupe de travail
meeting-type-task_force = groupe d’intervention
meeting-level-head_of_state = chef d’État ou de gouvernement
meeting-level-minister = ministre
meeting-level-official = haut fonctionnaire

## Une réunion
meeting-until = au { $ends } ({ $tz }).
meeting-hosted = Accueillie par { $host }, présidée par { $chair } ;
meeting-of-group = une réunion de
meeting-of-coalition = une réunion de toute la coalition
meeting-add-to-calendar = Ajouter au calendrier (.ics)
meeting-agenda-heading = Ordre du jour, décisions et actions
meeting-follows-up = fait suite à une réunion précédente
meeting-outcome-decision = Décision
meeting-outcome-information = Information
meeting-adopted-by = (adoptée par { $members })
meeting-no-agenda = Pas encore d’ordre du jour.
meeting-statement = Déclaration commune, { $date }
meeting-signed-by = Signée par { $members }.
meeting-attendance = Participation ({ $count })
meeting-delegation = Délégation
meeting-no-attendance = Aucune participation enregistrée.
meeting-record-outcome = Enregistrer un résultat
meeting-agenda-item = Point de l’ordre du jour
meeting-new-item = un nouveau point (titre ci-dessous)
meeting-new-item-title = Titre du nouveau point
meeting-outcome = Résultat
meeting-text = Texte
meeting-adopted-by-field = Adoptée par (codes des membres)
meeting-record = Enregistrer
meeting-record-action = Enregistrer une action
meeting-no-item = aucun
meeting-owner = Responsable (code du membre)
meeting-what = Quoi
meeting-line = Axe d’effort
meeting-fulfilled-by = Réalisée par (une partie par ligne :
meeting-record-action-submit = Enregistrer l’action
meeting-follow-up = Suivi
meeting-carry-over = Reporter les points ouverts de la réunion précédente du groupe

## Engagements
commitments-title = Engagements
commitments-count = { $count ->
    [one] { $count } engagement que vous pouvez lire, dont { $overdue } en retard au
   *[other] { $count } engagements que vous pouvez lire, dont { $overdue } en retard au
}
commitments-explain = . Un engagement est en retard quand son jour d’échéance est passé dans le fuseau horaire de sa réunion et qu’il n’est ni tenu, ni abandonné, ni réalisé ; l’avancement est calculé à partir des contributions, des promesses aux fonds et des cibles d’indicateurs auxquelles il est lié.
commitments-group-by = Regrouper par :
commitments-by-member = membre
commitments-by-line = axe d’effort
commitments-partial-heading = Avancement partiel :
commitments-partial-explain = certaines parties de certains engagements ne vous sont pas diffusables ; leur avancement porte sur les parties que vous pouvez lire.
commitments-no-line = (sans axe d’effort)
commitments-group-overdue = { $count ->
    [one] { $count } en retard
   *[other] { $count } en retard
}
commitments-col-status = État
commitments-col-owner = Responsable
commitments-col-commitment = Engagement
commitments-col-due = Échéance
commitments-col-made-at = Pris lors de
commitments-overdue-flag = En retard
commitments-partial = (partiel)
commitments-and-later = { $count ->
    [one] et { $count } ultérieure
   *[other] et { $count } ultérieures
}
commitments-none = Aucun engagement que vous puissiez lire.
commitment-state-open = ouvert
commitment-state-on_track = en bonne voie
commitment-state-at_risk = menacé
commitment-state-done = tenu
commitment-state-dropped = abandonné
commitment-due-state = échéance le { $due }, { $state }
commitment-progress = Avancement
commitment-partial-title = Certaines parties ne vous sont pas diffusables
commitment-record-link = détails
commitment-part-hidden = une partie qui ne vous est pas diffusable
commitment-weight = (poids { $weight })
commitment-discussed-at = Examiné lors de :

## Résumé
digest-title = Votre résumé
digest-feed-shown = Votre flux de calendrier (affiché une seule fois ; gardez-le secret, il lit en votre nom) :
digest-notices = Avis
digest-unread = { $count ->
    [one] ({ $count } non lu)
   *[other] ({ $count } non lus)
}
digest-notice-due_in_7_days = Échéance dans 7 jours
digest-notice-due_tomorrow = Échéance demain
digest-notice-overdue = En retard
digest-due-progress = échéance le { $due }, avancement { $progress }
digest-mark-read = Tout marquer comme lu
digest-no-notice = Aucun avis pour vous.
digest-open-commitments = Engagements ouverts de { $member }
digest-due-state-progress = échéance le { $due }, { $state }, avancement { $progress }
digest-no-open = Aucun engagement ouvert de { $member } que vous puissiez lire.
digest-calendar-feed = Flux de calendrier
digest-calendar-explain = Abonnez-vous aux réunions et aux échéances que vous pouvez lire depuis n’importe quel logiciel de calendrier (iCalendar). L’adresse contient un jeton secret ; le révoquer arrête toutes les adresses créées auparavant.
digest-make-address = Créer une adresse de calendrier
digest-revoke = Révoquer mes adresses de calendrier

## Criblage des parties d’un enregistrement et examen d’une correspondance (_screening.html)
screening-title = Criblage des sanctions
screening-review = Examiner { $id }
screening-confirmed = Confirmé
screening-false-positive = Faux positif
screening-reason = Motif
screening-record-decision = Enregistrer la décision
screening-stale = périmée : l’entrée de la liste a changé depuis ; examinez-la de nouveau
screening-suppressed = (supprimée : plus d’alerte)
screening-for-born = pour la date de naissance { $date }
screening-weak-alias = alias faible — à examiner
screening-weak-alias-cell = Alias faible — à examiner
screening-alert = Alerte : à examiner
screening-below-threshold = sous le seuil
screening-nothing = Rien à cribler ici : aucune personne, organisation ou navire que vous puissiez lire.
screening-explain = Les parties criblées au regard de { $lists }. Un score de { $threshold } ou plus est une correspondance : une piste à examiner, non une conclusion ; l’explication dit pourquoi.
screening-party = Partie
screening-listed-entry = Entrée listée
screening-score = Score
screening-decision = Décision
screening-why = Pourquoi
screening-also-listed = également listée comme
screening-match = correspondance
screening-no-match = Aucune correspondance
screening-near = { $count ->
    [one] ({ $count } entrée listée a obtenu un score sous le seuil)
   *[other] ({ $count } entrées listées ont obtenu un score sous le seuil)
}
screening-no-lists = Aucune liste de sanctions n’est chargée sur ce nœud ; lancez-le avec --sanctions PATH pour cribler.
screening-failed = Le criblage a échoué : { $detail }

## La page de criblage
screen-no-lists = Aucune liste de sanctions n’est chargée sur ce nœud ; lancez-le avec
screen-no-lists-end = pour cribler.
screen-lead = Un score est une piste à examiner, non une conclusion ; l’explication dit pourquoi.
screen-lists = Listes
screen-col-list = Liste
screen-col-published = Publiée
screen-col-entries = Entrées
screen-col-loaded = Chargée
screen-col-since = Depuis la version précédente
screen-in-use = en service
screen-undated = non datée
screen-changes = { $added } ajoutées, { $removed } retirées, { $changed } modifiées
screen-since = depuis { $version }
screen-first-version = première version chargée
screen-rescreen-running = Nouveau criblage des parties des enregistrements ouverts après une mise à jour de liste : { $done } % effectués.
screen-rescreen-reload = Actualiser
screen-rescreen-done = Les parties des enregistrements ouverts ont été criblées à nouveau après la dernière mise à jour de liste ({ $when }) ; les changements de la liste montrent ce qui a été trouvé.
screen-rescreen-stopped = Le nouveau criblage après la dernière mise à jour de liste s'est arrêté avec le nœud ; il reprend au prochain démarrage.
screen-rescreen-failed = Le nouveau criblage après la dernière mise à jour de liste a échoué : { $why }
screen-party = Cribler une partie
screen-birth-date = Date de naissance (facultatif)
screen-birth-date-hint = AAAA, AAAA-MM ou AAAA-MM-JJ
screen-nationality = Nationalité (facultatif)
screen-schema = Type de partie
screen-schema-any = Tous
screen-submit = Cribler
screen-results-for = Résultats pour
screen-alerts-of-results = { $alerts ->
    [one] { $alerts } alerte
   *[other] { $alerts } alertes
} sur { $count ->
    [one] { $count } résultat
   *[other] { $count } résultats
}.
screen-no-result = Aucune entrée listée n’a obtenu un score proche de cette partie.
screen-batch = Cribler un lot (CSV)
screen-csv-header = Une ligne d’en-tête avec
screen-csv-optionally = et, au choix,
screen-csv-at-most =  ; au plus { $max } lignes (UTF-8). Au-delà, utilisez l’API ou
screen-upload = Téléverser un fichier CSV
screen-paste = … ou collez les parties au format CSV
screen-batch-submit = Cribler le lot
screen-download = Télécharger les résultats (CSV)
screen-batch-results = Résultats du lot
screen-batch-summary = { $rows ->
    [one] { $rows } partie criblée
   *[other] { $rows } parties criblées
} : { $hits ->
    [one] { $hits } correspondance
   *[other] { $hits } correspondances
}, { $alerts ->
    [one] { $alerts } alerte
   *[other] { $alerts } alertes
}
screen-batch-truncated = { $count ->
    [one] (seule la première correspondance est affichée)
   *[other] (seules les { $count } premières correspondances sont affichées)
}
screen-col-row-id = Identifiant de ligne
screen-decisions-of = Décisions de { $member }
screen-decisions-own = Seules les décisions d’examen de { $member } sont affichées ; celles des autres membres ne sont pas visibles ici.
screen-col-by = Par
screen-col-when = Quand
screen-col-entry-since = Entrée depuis
screen-entry-unchanged = inchangée
screen-entry-changed = modifiée : décision périmée
screen-entry-not_loaded = absente des listes chargées
screen-older-decisions = Décisions plus anciennes
screen-no-decisions = Aucune décision enregistrée par { $member } pour l’instant.
screen-recorded = Enregistré : { $id } est { $decision ->
    [confirmed] confirmé
   *[other] un faux positif
} pour { $party }.

## Ce qui a changé dans une version d’une liste
screen-list-title = { $list } { $published } : modifications
screen-list-heading = { $list } { $published } : ce qui a changé
screen-list-compared = Comparée à { $list } { $previous }, la version chargée avant elle. Les décisions prises sur une entrée modifiée ne s’appliquent plus : ses correspondances donnent de nouveau l’alerte.
screen-list-back = Retour au criblage
screen-list-rescreened = Enregistrements ouverts criblés de nouveau
screen-list-rescreen-explain = Les parties des enregistrements ouverts (entités actives, contributions non annulées) ont été criblées au regard des { $count } entrées que cette version a ajoutées ou modifiées, le { $at }.
screen-list-matches = Correspondances sur des enregistrements que vous pouvez lire :
screen-list-no-match = Aucune correspondance sur un enregistrement que vous pouvez lire.
screen-list-col-record = Enregistrement
screen-list-kind-entity = entité
screen-list-kind-contribution = contribution
screen-list-changed-since = (modifié depuis : la version { $version } a été criblée)
screen-list-added = ajoutée
screen-list-changed = modifiée
screen-list-not-rescreened = Pas encore criblés de nouveau : le nœud crible de nouveau les enregistrements ouverts en arrière-plan après le chargement d’une nouvelle version.
screen-list-added-count = Ajoutées ({ $count })
screen-list-removed-count = Retirées ({ $count })
screen-list-changed-count = Modifiées ({ $count })
screen-list-col-reference = Référence

## Administration : utilisateurs
admin-title = Administration
admin-users-title = Administration : utilisateurs
admin-only = Seuls les administrateurs du nœud utilisent sa console.
admin-users = Utilisateurs
admin-audit-log = Journal d’audit
admin-node-peers = Nœud et pairs
admin-users-count = { $count ->
    [one] { $count } utilisateur
   *[other] { $count } utilisateurs
}
admin-locked-out-count = { $count ->
    [one] { $count } bloqué
   *[other] { $count } bloqués
}
admin-locked-explain = pour le moment (trop de mots de passe erronés : chaque essai attend plus longtemps)
admin-adding-users = La même chose en ligne de commande :
admin-col-user = Utilisateur
admin-col-role = Rôle
admin-col-status = État
admin-col-failed-logins = Connexions échouées
admin-col-act = Agir
admin-role-viewer = lecteur
admin-role-contributor = contributeur
admin-role-coordinator = coordinateur
admin-role-admin = administrateur
admin-disabled = désactivé
admin-locked-out = bloqué
admin-for-seconds = pendant { $seconds } s
admin-active = actif
admin-failures = { $count }, la dernière le
admin-no-failures = aucune
admin-unlock = Débloquer
admin-unlock-user = Débloquer { $user }
admin-enable = Activer
admin-enable-user = Activer { $user }
admin-disable = Désactiver
admin-disable-user = Désactiver { $user }
admin-done-unlock = { $user } est débloqué : la prochaine connexion passe aussitôt.
admin-done-disable = { $user } est désactivé ; ses sessions et ses jetons sont clos.
admin-done-enable = { $user } est activé.
admin-not-done = Non effectué
admin-not-yourself = Vous ne pouvez pas désactiver ni activer votre propre compte ; demandez à un autre administrateur.
admin-no-such-action = Aucune action de ce nom sur un utilisateur.

## Administration : journal d’audit
admin-audit-title = Administration : journal d’audit
audit-explain = Ce que vous pouvez voir en tant qu’administrateur : les entrées d’exploitation du nœud (connexions, utilisateurs, jetons, registre, listes) et les entrées sur les enregistrements que { $member } peut lire ; jamais le contenu d’un enregistrement.
audit-verify = vérifie la chaîne de hachage.
audit-action-starts = L’action commence par
audit-actor = Auteur
audit-actor-placeholder = nom d’utilisateur
audit-subject = Objet
audit-subject-placeholder = identifiant d’enregistrement ou nom d’utilisateur
audit-filter = Filtrer
audit-col-when = Quand (UTC)
audit-col-action = Action
audit-col-detail = Détail
audit-none = Aucune entrée que vous pouvez voir ne correspond à ces filtres.
audit-older = Entrées plus anciennes

## Nœud et pairs
peers-title = Nœud et pairs
peers-only = Seuls les administrateurs du nœud voient et gèrent ses pairs.
peers-node = Nœud
peers-speaks-for = parle pour
peers-public-url = URL publique
peers-key = Clé
peers-fingerprint = empreinte
peers-key-none = pas encore : créée quand le nœud est servi (
peers-key-none-or = ) ou par
peers-added-peer = Pair
peers-added = ajouté. Donnez à son opérateur cet identifiant ; il n’est affiché
peers-once = qu’une fois
peers-hash-kept = et seule son empreinte est conservée :
peers-peers = Pairs
peers-col-fingerprint = Empreinte de la clé
peers-col-state = État
peers-col-pulling = Récupération
peers-col-actions = Actions
peers-unsigned-import = serveur TAXII simple, import non signé de la collection
peers-retired-keys = Clés retirées : { $count } (toujours reconnues pour ce qu’elles ont signé)
peers-paused = en pause
peers-active = actif
peers-relay-explain = relais activé : les enregistrements CLEAR et GREEN d’autres nœuds passent par lui dans les deux sens
peers-registry-source = le nœud du secrétariat : son registre s’applique ici
peers-not-connected = non connecté : collez l’identifiant que son opérateur a émis pour ce nœud
peers-credential-label = Identifiant émis par { $peer } pour ce nœud
peers-connect = Connecter
peers-position = Position
peers-position-of = { $cursor } sur { $high }
peers-behind = en retard de { $records } numéros de séquence, { $seconds } s
peers-in-step = à jour
peers-applied = Appliqués
peers-last-success = Dernier succès
peers-never = jamais
peers-last-error = Dernière erreur
peers-refused = Refusés
peers-action-pause = Mettre en pause
peers-action-resume = Reprendre
peers-action-remove = Supprimer
peers-action-relay-on = Activer le relais
peers-action-relay-off = Désactiver le relais
peers-new-key-label = Nouvelle clé publique de { $peer }
peers-after-rotated = après sa rotation
peers-set-key = Définir la clé
peers-none = Aucun pair pour l’instant. Ajoutez-en un avec la clé que son opérateur lit dans
peers-add = Ajouter un pair
peers-member-hosted = Membre qu’il héberge
peers-public-key = Clé publique
peers-as-its = telle que
peers-prints-it = l’affiche
peers-unsigned-label = Ou, pour un serveur TAXII 2.1 simple (pas un nœud coalesce ; l’URL est sa racine d’API) : la collection à importer
peers-unsigned-hint = ses objets ne portent aucune signature coalesce et sont importés pour le membre ci-dessus
peers-add-submit = Ajouter le pair
peers-no-such-action = Aucune action de ce nom sur un pair.

## Déposer un rapport, la première étape : son type
report-form-step-kind = Que signalez-vous ?
report-form-continue = Continuer
report-kind-about-foreign-fighter-travel = Le voyage d’une personne vers le conflit ou depuis celui-ci : l’itinéraire (origine, transit, destination), ses dates et les documents utilisés.
report-kind-about-financing = L’argent ou les biens qui financent l’EIIL : la marchandise (pétrole brut, produits raffinés, espèces, antiquités), les quantités, les paiements et l’itinéraire.
report-kind-about-situation-report = Ce qui s’est passé, où et quand : du texte seulement, avec les personnes, organisations et navires concernés.
report-kind-about-counter-messaging = Les récits de l’EIIL et les canaux qui les portent, et la réponse à leur apporter.
report-kind-about-stabilisation-assessment = L’état d’une zone libérée de l’EIIL : besoins, services, retours ; du texte seulement.

## La page d’un engagement
commitment-parts-heading = Ce qui le mesure
commitment-version = Version { $version }
commitment-as-json = L’enregistrement en JSON (API)

## Administration : rôles et mots de passe des utilisateurs, jetons d’API
admin-tokens = Jetons d’API
admin-tokens-title = Administration : jetons d’API
admin-tokens-explain = Un jeton d’API permet à un programme (un tableau de bord, un script, un client TAXII) d’agir comme un utilisateur, en ne lisant que ce que cet utilisateur peut lire ; le nœud n’en garde que l’empreinte. Révoquez celui qui ne sert plus ou qui a pu fuiter.
admin-token-label = Ce qui l’utilise
admin-token-created = Émis le
admin-token-expires = Valable jusqu’au
admin-token-never = jusqu’à révocation
admin-token-id = Identifiant
admin-revoke = Révoquer
admin-revoke-token = Révoquer le jeton « { $label } » de { $user }
admin-tokens-none = Aucun jeton d’API.
admin-issue-token = Émettre un jeton
admin-token-label-hint = Ce qui l’utilisera, pour le reconnaître dans cette liste (p. ex. tableau de bord de Bagdad).
admin-token-days = Valable (jours)
admin-token-days-hint = Vide : jusqu’à révocation. Au plus 3660.
admin-token-days-invalid = La durée d’un jeton est un nombre entier de jours de 1 à 3660, ou vide pour « jusqu’à révocation ».
admin-issue-token-submit = Émettre le jeton
admin-shown-token = Un nouveau jeton d’API pour { $user } :
admin-shown-reset = Le nouveau mot de passe de { $user } :
admin-shown-new-user = { $user } est ajouté ; son mot de passe :
admin-shown-once = Affiché cette seule fois : le nœud n’en garde que l’empreinte. Transmettez-le par un autre canal que celui-ci.
admin-done-revoke = Le jeton « { $label } » de { $user } est révoqué.
admin-done-role = { $user } a son nouveau rôle ; ses sessions sont closes.
admin-role-of = Rôle de { $user }
admin-change-role-of = Changer le rôle de { $user }
admin-change = Changer
admin-reset = Réinitialiser le mot de passe
admin-reset-user = Réinitialiser le mot de passe de { $user }
admin-add-user = Ajouter un utilisateur
admin-username-hint = De 2 à 64 lettres minuscules, chiffres, points, traits d’union ou tirets bas (p. ex. j.smith).
admin-add-user-submit = Ajouter l’utilisateur
report-withdraw = Retirer ce rapport

# Données personnelles : conservation et purge
report-form-retain-until = Conserver les données personnelles jusqu'au (rapports sur des personnes)
report-form-retain-until-hint = Vide : { $days } jours à compter d'aujourd'hui, la valeur du nœud. Le lendemain, les noms, documents et déplacements qu'il contient sont purgés, partout où il a été partagé.
personal-kept = Données personnelles
personal-kept-until = Données personnelles conservées jusqu'au { $date }
personal-purged-on = Données personnelles purgées le { $date } : ce qui reste ne nomme personne.
personal-purge-now = Purger les données personnelles maintenant
personal-purge-explain = Retire noms, documents et déplacements de cette fiche et de toutes ses versions antérieures, ici et sur chaque nœud qui la détient. C'est irréversible.
personal-purge-title = Purger les données personnelles
personal-purge-what-report = Le rapport garde son type, sa ligne d'effort, son marquage et sa date de dépôt ; ses liens vers des personnes et ses documents disparaissent, et un rapport de déplacement perd aussi son titre, son texte, sa date et son itinéraire.
personal-purge-what-entity = Le nom de la personne, ses alias, sa date de naissance, sa nationalité et ses documents disparaissent, et la personne est retirée.
personal-purge-confirm = Purger maintenant
personal-purge-keep = Conserver
report-edit = Modifier ce rapport
report-edit-title = Modifier le rapport
report-save-submit = Enregistrer comme nouvelle version
report-edit-links-kept = Ses liens vers des personnes, organisations et navires sont conservés tels quels :
report-edit-no-links = aucun
report-conflict-heading = Quelqu’un a enregistré ce rapport pendant que vous le modifiiez
meeting-edit-title = Modifier la réunion
meeting-edit-cancel = Revenir à la réunion sans enregistrer
meeting-edit-tz-hint = Le début et la fin sont à l’heure du fuseau de la réunion (un nom IANA comme Europe/London ou Asia/Baghdad).
meeting-edit-chair-host = L’hôte préside
meeting-edit-attendance = Participation
meeting-edit-attendance-hint = Une ligne par membre présent ; laissez le membre vide pour retirer une ligne.
meeting-edit-member = Membre
meeting-edit-delegation = Délégation (personnes)
meeting-edit-agenda = Ordre du jour
meeting-edit-agenda-hint = Les points gardent leur numéro : décisions et actions y renvoient. Les nouveaux points viennent après.
meeting-edit-item = Point { $number }
meeting-edit-new-items = Nouveaux points, un par ligne
meeting-conflict-heading = Quelqu’un a enregistré cette réunion pendant que vous la modifiiez
meeting-withdraw = Retirer la réunion
meeting-versions-title = Versions d’une réunion
meeting-col-when = Quand (heure locale)
meeting-col-attending = Participants
meeting-col-agenda = Ordre du jour
meeting-field-meeting_type = Type de réunion
meeting-field-title = Titre
meeting-field-place = Lieu
meeting-field-starts = Début
meeting-field-ends = Fin
meeting-field-time_zone = Fuseau horaire
meeting-field-host = Hôte
meeting-field-chair = Présidence
meeting-field-group = Groupe
meeting-field-tlp = Niveau TLP
meeting-field-rel_to = Diffusable à
meeting-edit-attendee = Participant { $number }
commitment-edit = Changer son statut ou ses termes
commitment-edit-title = Modifier un engagement
commitment-edit-cancel = Revenir à l’engagement sans enregistrer
commitment-edit-reason-hint = Seulement pour un engagement abandonné, et alors obligatoire.
commitment-edit-parts-kept = Ce qui le réalise (ses parts) et les réunions qui en ont discuté restent tels quels.
commitment-conflict-heading = Quelqu’un a enregistré cet engagement pendant que vous le modifiiez
statement-new = Enregistrer une déclaration commune
statement-new-title = Enregistrer une déclaration commune
statement-edit = La modifier
statement-edit-title = Modifier une déclaration commune
statement-versions = Versions
statement-versions-title = Versions d’une déclaration commune
statement-conflict-heading = Quelqu’un a enregistré cette déclaration pendant que vous la modifiiez
statement-texts = Son texte dans chaque langue
statement-texts-hint = Le premier texte est l’original. Donnez à chaque langue son code (en, ar, fr), son titre et ses paragraphes : un par bloc, séparés par une ligne vide, chacun commençant par son numéro (« 1. La coalition… »), numérotés de même dans chaque langue. Un bloc vide ajoute une langue.
statement-text = Texte
statement-original = original
statement-record = Enregistrer la déclaration
statement-withdraw = Retirer cette déclaration
statement-cancel = Revenir à la réunion sans enregistrer
statement-field-adopted_on = Adoptée le
statement-field-signatories = Signée par
statement-field-source = Provenance du texte
statement-field-language = Langue
statement-field-title = Titre
statement-field-paragraphs = Paragraphes
statement-field-texts = Textes
statement-field-tlp = Niveau TLP
statement-field-rel_to = Diffusable à
statement-col-texts = Langues
statement-col-wording = Texte original
commitment-withdraw = Retirer l’engagement
commitment-versions-title = Versions d’un engagement
commitment-field-what = Engagement
commitment-field-owner = Responsable
commitment-field-due = Échéance
commitment-field-state = Statut
commitment-field-dropped_reason = Pourquoi il a été abandonné
commitment-field-line_of_effort = Axe d’effort
commitment-field-tlp = Niveau TLP
commitment-field-rel_to = Diffusable à
