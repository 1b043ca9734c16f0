# needs: fr
# Besoins, contributions, qui fait quoi où et sa carte, les tableaux de
# bord des axes d’effort, les indicateurs, la répartition, les doublons,
# le registre (membres, groupes, axes d’effort) et les fonds.

## Mots que plusieurs de ces pages partagent
needs-marking = Marquage
needs-colon =  :
needs-download = Télécharger :
needs-filter = Filtrer
needs-next-page = Page suivante
needs-line = Axe d’effort
needs-category = Catégorie
needs-item-category = Catégorie d’article
needs-member = Membre
needs-group = Groupe
needs-status = Statut
needs-amount = Montant
needs-requested = Demandé
needs-requested-by = Demandé par
needs-pledged = Promis
needs-committed-to-deliver = Engagé (à livrer)
needs-delivered = Livré
needs-gap = Reste à couvrir
needs-requirement = Besoin
needs-contribution = Contribution
needs-contributions = Contributions
needs-who = Qui
needs-what = Quoi
needs-where = Où
needs-when = Quand
needs-place = Lieu
needs-window = Période
needs-country = Pays
needs-title = Titre
needs-description = Description
needs-date = Date
needs-evidence = Justificatif
needs-pledge = Promettre
needs-commit = Engager
needs-none-yet = Rien pour l’instant.
needs-none-you-may-read = Rien que vous puissiez lire.
needs-none-you-may-read-yet = Rien que vous puissiez lire pour l’instant.
# Le statut d’une contribution (promise → engagée → livrée, ou annulée).
needs-status-pledged = promise
needs-status-committed = engagée
needs-status-delivered = livrée
needs-status-cancelled = annulée

## Besoins
req-list-title = Besoins
req-list-intro = Ce que demandent les partenaires, et quelle part en est promise, engagée et livrée.
req-list-contributions = Contributions (qui fait quoi où)
req-any-member = tout membre
req-mine = { $member } (le mien)
req-download-all = tous les besoins que vous pouvez lire, CSV (HXL)
req-where-when = Où et quand
req-asked = Demandé
req-met = couvert
req-not-confirmed = pas encore confirmé par le demandeur
req-list-none = Aucun besoin que vous puissiez lire ne correspond à ces filtres.
req-post-one = En publier un
req-recorded-by = { $requester } (enregistré par { $origin })
req-awaiting =  ; en attente de la confirmation de { $requester }, rien ne lui est réparti d’ici là
req-priority = Priorité
req-confirm-explain = { $origin } a enregistré ce besoin au nom de { $member }. Rien ne lui est réparti tant que { $member } n’a pas confirmé le demander.
req-confirm = Confirmer que { $member } le demande
req-figures = Chiffres
req-receipt-confirmed = Réception confirmée
req-over-committed = Engagé en excédent
req-figures-note = Les promesses ne réduisent le reste à couvrir qu’une fois engagées. Les chiffres ne comptent que les contributions que vous pouvez lire.
req-pledge-against = Promettre une contribution pour ce besoin
req-pledge-amount = Montant ({ $unit })
req-pledge-amount-money = Montant ({ $unit }, p. ex. 250000.00)
req-form-title-errors = Publier un besoin ({ $count } à corriger)
req-requesting-member = Membre demandeur
req-priority-most-urgent = { $n }, la plus urgente
req-priority-least-urgent = { $n }, la moins urgente
req-post-submit = Publier le besoin

## Les champs de montant et de lieu des formulaires de besoins
req-measure-legend = Montant
req-measure-kind = En nature ou en argent
req-measure-quantity = En nature (une quantité d’une unité)
req-measure-money = En argent (un montant dans une devise)
req-measure-amount = Quantité, ou montant en unités de la devise (p. ex. 1500000.00)
req-measure-unit = Unité (p. ex. gilet, formation, conseiller) ou devise ISO 4217 (p. ex. USD)
req-place-legend = Lieu
req-place-country = Pays (ISO 3166-1 alpha-3)
req-place-admin1 = Gouvernorat ou autre division de premier niveau (facultatif ; saisissez son nom en anglais, en français ou en arabe et choisissez-le)
req-place-pcode = Son P-code (p. ex. IQG10 ; laissé vide, il est recherché d’après le nom du gouvernorat)
req-place-town = Localité (facultatif)
req-window-legend = Période
req-window-from = Du
req-window-until = Au

## Contributions
contrib-contributors = Contributeurs
contrib-contributing-members = Membres contributeurs (le vôtre d’abord ; plusieurs pour une contribution conjointe)
contrib-recorded-by = { $contributors } (enregistrée par { $origin })
contrib-proposed =  ; proposés, pas encore confirmés : { $members }
contrib-against = Au titre de
contrib-requested-by = (demandé par { $member })
contrib-not-releasable = un besoin qui ne vous est pas diffusable
contrib-standalone = autonome
contrib-join-explain = { $origin } désigne { $member } comme contributeur. La contribution ne compte pour { $member } qu’une fois que { $member } l’a confirmée.
contrib-join = Confirmer que { $member } contribue
contrib-parties = Parties
contrib-party-role = Rôle
contrib-party-kind = Type
contrib-party-name = Nom
contrib-no-parties = Aucun fournisseur, transporteur, destinataire ni autre partie enregistré.
contrib-save-parties = Enregistrer les parties
contrib-party-role-supplier = fournisseur
contrib-party-role-carrier = transporteur
contrib-party-role-consignee = destinataire
contrib-party-role-implementing_partner = partenaire de mise en œuvre
contrib-party-role-financial_institution = établissement financier
contrib-party-role-other = autre
contrib-deliveries = Livraisons
contrib-receipt = Réception
contrib-received-part = reçue en partie : { $amount }
contrib-received-all = entièrement reçue
contrib-received-on = le { $date }
contrib-confirmed-by = , confirmée par { $user } ({ $member })
contrib-received-of = Reçu (sur { $amount })
contrib-arrived-on = Arrivée le
contrib-receipt-note = Remarque (ce qui manquait ou était endommagé)
contrib-confirm-receipt = Confirmer la réception
contrib-not-confirmed = non confirmée
contrib-move-on = Faire avancer
contrib-delivered-on = Livrée le (AAAA-MM-JJ)
contrib-amount-delivered = Montant livré ({ $unit } ; { $outstanding } encore à livrer)
contrib-unit-major = { $unit } (en unités principales)
contrib-evidence-hint = Justificatif (lettre de voiture, procès-verbal de remise…)
contrib-record-delivery = Enregistrer la livraison
contrib-cancel = Annuler la contribution

## Qui fait quoi où, et sa carte
who-title = Qui fait quoi où
who-see-map = Voir sur la carte
who-count = { $count ->
    [one] contribution que vous pouvez lire correspond.
   *[other] contributions que vous pouvez lire correspondent.
}
who-import-csv = Importer un CSV
who-delivered = livré : { $amount }
who-none = Aucune contribution que vous puissiez lire ne correspond à ces filtres.
who-totals-by-member = Totaux par membre
who-area-pcode = P-code de la zone
who-no-contributions = Aucune contribution que vous puissiez lire.
map-title = Carte de qui fait quoi où
map-see-table = Voir sous forme de tableau
map-explain = Chaque gouvernorat est coloré selon son besoin le moins couvert que vous pouvez lire dans l’axe, la catégorie et le lieu choisis ; les filtres de membre et de statut restreignent les contributions. Les promesses ne comptent comme couverture qu’une fois engagées.
map-more = Seuls les { $cap } besoins les plus récents sont comptés : affinez les filtres pour voir les autres.
map-svg-title = Gouvernorats colorés selon la couverture de leurs besoins
map-legend-unmet = non couvert (rien de ferme pour l’instant)
map-legend-active = des contributions, aucun besoin
map-legend-none = rien d’enregistré
map-cov-unmet = non couvert
map-cov-partly = partiellement couvert
map-cov-covered = couvert
map-not-bundled = Aucun de ces lieux ne figure parmi les limites fournies (Irak et Syrie) ; ils sont donc seulement listés ci-dessous.
map-nothing = Aucun besoin ni aucune contribution que vous puissiez lire n’a encore de gouvernorat.
map-nothing-post = avec son gouvernorat et son P-code, et il apparaîtra ici.
map-governorate = Gouvernorat
map-coverage = Couverture
map-requirements = Besoins
map-unmet = Non couverts
map-partly = Partiellement
map-covered = Couverts
map-not-on-map = hors de la carte
map-no-requirement = aucun besoin
map-country-only = Localisés par pays seulement, donc absents de la carte : { $requirements ->
    [one] { $requirements } besoin
   *[other] { $requirements } besoins
} et { $contributions ->
    [one] { $contributions } contribution
   *[other] { $contributions } contributions
}.
# Ce que dit la forme d’une zone quand on la pointe.
map-area-requirements = { $count ->
    [one] { $count } besoin
   *[other] { $count } besoins
} : { $unmet ->
    [one] { $unmet } non couvert
   *[other] { $unmet } non couverts
}, { $partly ->
    [one] { $partly } partiellement couvert
   *[other] { $partly } partiellement couverts
}, { $covered ->
    [one] { $covered } couvert
   *[other] { $covered } couverts
}
map-area-contributions = { $count ->
    [one] { $count } contribution
   *[other] { $count } contributions
} de { $members }
map-area-nothing = { $area } : rien d’enregistré

## Import (CSV et STIX)
import-title = Import
import-csv-intro = Collez un fichier CSV portant des hashtags HXL sur sa deuxième ligne — la forme qu’ont les exports
# Les exports que prend l’import, liés depuis la phrase ci-dessus.
import-csv-requirements = besoins
import-csv-contributions = contributions
import-csv-indicator-values = valeurs d’indicateurs
import-all-or-nothing = L’import se fait en entier ou pas du tout : si une ligne est erronée, toutes les lignes erronées sont listées et rien n’est écrit.
# Coupé autour du lien vers l’export STIX ; la page ajoute son chemin, /taxii2/.
import-stix-intro = Ou collez un bundle STIX 2.1 : chaque objet est vérifié et le bundle est écrit en entier ou pas du tout. Les marquages sont conservés — les définitions de marquage TLP 2.0, et REL TO sous la forme de l’extension de définition de marquage de coalesce (ce que
import-stix-export = l’export STIX
import-stix-after = écrit) ; un objet sans TLP est TLP:AMBER, sans REL TO il n’est destiné qu’à votre membre. Les objets importés sont servis par le serveur TAXII 2.1 du nœud à l’adresse
import-done-records = { $count ->
    [one] { $count } enregistrement importé.
   *[other] { $count } enregistrements importés.
}
import-done-objects = { $count ->
    [one] { $count } objet importé.
   *[other] { $count } objets importés.
}
import-done-objects-held = { $count ->
    [one] { $count } objet importé
   *[other] { $count } objets importés
} ; { $held ->
    [one] { $held } déjà détenu.
   *[other] { $held } déjà détenus.
}
import-line = Ligne
import-object = Objet
import-column = Colonne
import-reason = Motif
import-records = Enregistrements
# Ce qui est importé, tel que le formulaire le propose.
import-what-requirements = besoins
import-what-contributions = contributions
import-what-indicator-values = valeurs d’indicateurs
import-what-stix-bundle = bundle STIX
import-csv-label = CSV, ou bundle STIX (JSON)
import-submit = Importer
import-stage-reading = Lecture et vérification du fichier
import-stage-writing = Écriture des lignes
import-done-of = { $done } sur { $total } écrites
import-refreshes = Cette page se met à jour d’elle-même.
import-stopping = Arrêt après le lot en cours.
import-cancel = Annuler l’import
import-cancel-explain = Il s’arrête après le lot en cours ; les lignes déjà écrites restent.
import-no-job = Import inconnu (les imports sont oubliés au redémarrage du nœud).

## Le tableau de bord d’un axe d’effort
dash-who = Qui fait quoi où dans cet axe d’effort
dash-duplication = Doublons
dash-indicators = Indicateurs
dash-requirements = Besoins
dash-legend-delivered = livré
dash-legend-committed = engagé
dash-legend-pledged = promis
dash-legend-gap = reste à couvrir (ni engagé ni livré)
dash-legend-requested = demandé
dash-progress = Avancement
dash-priority = priorité { $n }
dash-figures = promis { $pledged } · engagé { $committed } · livré { $delivered }
dash-no-requirements = Aucun besoin ouvert que vous puissiez lire.
dash-recent-deliveries = Livraisons récentes
dash-by = Par
dash-receipt-confirmed = réception confirmée
dash-no-deliveries = Aucune livraison que vous puissiez lire.
dash-trend = Tendance
dash-nothing-yet = Rien pour l’instant.
dash-by-member = Par membre
dash-by-category = Par catégorie
# Le graphique de tendance.
dash-trend-title = Contributions promises et livraisons effectuées par mois
dash-trend-unit = nombre
dash-trend-pledged = promesses
dash-trend-deliveries = livraisons

## Indicateurs
ind-title = Indicateurs
ind-figures-note = Les chiffres ne comptent que les valeurs que vous pouvez lire.
ind-no-value = { $name } : aucune valeur déclarée pour l’instant.
ind-no-value-target = { $name } : aucune valeur déclarée pour l’instant ; la cible est { $target }.
ind-as-of = au { $date }
ind-no-values = aucune valeur que vous puissiez lire
ind-target-is = cible { $target }
ind-progress-is = avancement { $progress }
ind-none-defined = Aucun indicateur défini pour l’instant.
ind-target-by = { $value } d’ici le { $date }
ind-percent = { $n } %
ind-reported = { $name } (valeurs déclarées)
ind-target-line = cible { $value }
ind-agg-sum = somme
ind-agg-last = dernière
ind-agg-max = max
ind-direction-increase = une hausse est un progrès
ind-direction-decrease = une baisse est un progrès
ind-unit = Unité
ind-aggregation = Agrégation
ind-baseline = Valeur de référence
ind-actual = Valeur actuelle
ind-target = Cible
ind-progress = Avancement
ind-reported-values = Valeurs déclarées
ind-observed = Date d’observation
ind-value = Valeur
ind-source = Source
ind-note = Remarque
ind-report-value = Déclarer une valeur
ind-observed-on = Date d’observation (AAAA-MM-JJ)
ind-value-in = Valeur ({ $unit })
ind-note-source = Remarque / source
ind-report = Déclarer
ind-def-new = Définir un indicateur
ind-def-edit = Modifier sa définition
ind-def-new-title = Définir un indicateur
ind-def-edit-title = Modifier la définition d’un indicateur
ind-def-explain = Les indicateurs forment le catalogue commun de la coalition : chaque membre déclare ses valeurs selon la même définition. Les coordinateurs les définissent.
ind-def-slug = Identifiant
ind-def-slug-hint = Lettres minuscules, chiffres et tirets (territory-held) ; il ne change jamais.
ind-def-slug-fixed = Identifiant : { $slug } (il ne change jamais).
ind-def-name = Nom
ind-def-description = Ce qu’il mesure et d’où viennent ses chiffres
ind-def-unit-hint = Ce que compte une valeur : frappes, km², %, personnes.
ind-def-line = Axe d’effort
ind-def-direction = Dans quel sens est le progrès
ind-def-aggregation-hint = somme : chaque valeur compte sa période, le chiffre est leur total ; dernière : chaque valeur est une mesure de l’ensemble, le chiffre est la plus récente ; max : la plus haute mesure à ce jour.
ind-def-baseline-date = Date de référence
ind-def-targets = Cibles
ind-def-targets-hint = Une par ligne : la date et la valeur à atteindre d’ici là (2016-12-31 20000), chacune au-delà de la référence dans le sens du progrès.
ind-def-save = Enregistrer la définition
ind-def-cancel = Revenir sans enregistrer

## Répartition
alloc-title = Répartition
alloc-intro = Le moteur attribue de façon optimale les promesses autonomes (offres) aux besoins ouverts : le plus possible de livré, pondéré par la priorité, au moindre coût (délai, distance, fractionnement). Une offre sert un besoin de même catégorie d’article et de même unité, dans le lieu qu’elle indique, sur une période qui chevauche la sienne, pour son propre axe d’effort. Seul ce que vous pouvez lire est pris en compte.
alloc-running = En cours
alloc-started = Lancée le { $at } par { $by } : { $stage }
alloc-done-of = ({ $done } sur { $total })
alloc-steps = { $done ->
    [one] ({ $done } étape)
   *[other] ({ $done } étapes)
}
alloc-stopping = Arrêt en cours…
alloc-refreshes = Cette page se rafraîchit jusqu’à la fin de l’exécution.
alloc-cancel-run = Annuler l’exécution
alloc-cancelled = L’exécution lancée le { $at } par { $by } a été annulée ; rien n’a été conservé.
alloc-failed = L’exécution lancée le { $at } par { $by } a échoué : { $error }
alloc-run-now = Lancer la répartition maintenant
alloc-latest-run = Dernière exécution
alloc-run-summary = { $at } par { $by } : { $requirements ->
    [one] { $requirements } besoin ouvert
   *[other] { $requirements } besoins ouverts
} et { $offers ->
    [one] { $offers } offre
   *[other] { $offers } offres
} que vous pouvez lire,
alloc-pairs-hidden = paires compatibles non affichées (l’exécution a pris en compte des enregistrements que vous ne pouvez plus lire)
alloc-pairs = { $count ->
    [one] { $count } paire compatible
   *[other] { $count } paires compatibles
}
alloc-proposal-count = { $count ->
    [one] proposition
   *[other] propositions
}
alloc-gap-count = { $count ->
    [one] besoin reste en partie non couvert.
   *[other] besoins restent en partie non couverts.
}
alloc-proposals = Propositions
alloc-offer = Offre
alloc-why = Pourquoi
alloc-decision = Décision
alloc-reason = Motif
alloc-accept = Accepter
alloc-reject = Refuser
alloc-decided-by = par { $user }
alloc-commitment = engagement
alloc-no-proposals = Aucune proposition : aucune offre que vous puissiez lire ne correspond à un besoin ouvert que vous puissiez lire.
alloc-gaps = Besoins non couverts
alloc-missing = il manque { $missing } sur { $requested }
alloc-no-gaps = Aucun : chaque besoin ouvert est couvert.
alloc-surplus = Excédent
alloc-surplus-explain = Offres que les besoins ouverts n’ont pas entièrement absorbées (surengagement, ou aucun besoin compatible pour l’instant).
alloc-surplus-left = reste { $surplus } sur { $offered } ({ $allocated } proposé)
alloc-no-surplus = Aucun : chaque offre est entièrement utilisée.
alloc-no-run = Aucune exécution pour l’instant.
alloc-mine = Propositions pour les offres de { $member }
# Le statut d’une proposition.
alloc-status-proposed = proposée
alloc-status-accepted = acceptée
alloc-status-rejected = refusée
alloc-status-committed = engagée
# Ce que fait une répartition en cours.
alloc-stage-loading = lecture des besoins et des offres
alloc-stage-model = construction de l’instance
alloc-stage-pairs = recherche des offres et des besoins compatibles
alloc-stage-solving = résolution
alloc-stage-explaining = explication des propositions et des manques
alloc-stage-saving = enregistrement de l’exécution
alloc-stage-working = traitement en cours

## Doublons
dup-title = Doublons
dup-note = Calculé uniquement sur ce que vous pouvez lire.
dup-over = Besoins ayant reçu plus d’offres que demandé
dup-offered = Offert (promis, engagé, livré)
dup-overlapping = Contributions qui se chevauchent sans besoin
dup-overlapping-note = Même catégorie d’article, même lieu, périodes qui se chevauchent.

## Le registre : axes d’effort, membres, groupes
reg-lines-title = Axes d’effort
reg-members-title = Membres
reg-members-count = Membres ({ $count })
reg-code = Code
reg-name = Nom
reg-kind = Type
reg-role = Rôle
reg-joined = Adhésion
reg-kind-state = État
reg-kind-organisation = organisation
reg-role-member = membre
reg-role-partner = partenaire
reg-groups-title = Groupes
reg-groups = Groupes
reg-group = Groupe
reg-members = Membres
reg-group-kind-small_group = petit groupe
reg-group-kind-working_group = groupe de travail
reg-group-kind-task_force = groupe d’intervention
reg-group-kind-community = communauté
reg-group-marking = dans un marquage atteint ses membres.
reg-member-contributions = { $count ->
    [one] contribution que vous pouvez lire, par axe d’effort :
   *[other] contributions que vous pouvez lire, par axe d’effort :
}
reg-with = Avec
reg-all-in-who = Toutes dans Qui fait quoi où

## Fonds
fund-title = Fonds
fund-intro = Les fonds communs qu’alimentent les membres de la coalition, et ce qu’ils financent. La page de chaque fonds présente son tableau de situation et des graphiques portant sur les transferts que vous pouvez lire.
fund-fund = Fonds
fund-agent = Agent administratif
fund-base-currency = Devise de référence
fund-opened = Ouverture
fund-none = Aucun fonds que vous puissiez lire.
fund-agent-is = Agent administratif :
fund-terms = Ouvert le { $opened }. Devise de référence { $base } ; commission de l’agent { $fee } % de chaque dépôt, coûts indirects des organisations { $indirect } % de chaque transfert.
fund-partial-label = Totaux partiels :
fund-partial = certains transferts de ce fonds ne vous sont pas diffusables ; les chiffres ci-dessous sont ceux des transferts que vous pouvez lire.
fund-status = Situation du fonds
fund-sources = Ressources
fund-uses = Emplois
fund-balances = Soldes
fund-caption-base = En { $currency }, chaque transfert au taux de sa date de valeur
fund-caption-currency = Tels qu’enregistrés en { $currency }
fund-charts = Graphiques
fund-windows = Guichets
fund-projects = Projets
fund-code = Code
fund-project = Projet
fund-window = Guichet
fund-place-pcode = Lieu (P-code)
fund-organisation = Organisation
fund-budget = Budget
fund-no-project = Aucun projet que vous puissiez lire.
fund-latest-transfers = Derniers transferts
fund-id = Id
fund-what = Nature
fund-value-date = Date de valeur
fund-amount = Montant
fund-parties = Donateur / guichet / projet / organisation
fund-at-rate = au taux de { $rate }
fund-no-transfer = Aucun transfert que vous puissiez lire.
fund-record-operation = Enregistrer une opération
fund-record-explain = En tant que gestionnaire du fonds : chaque opération est vérifiée par le grand livre et enregistrée avec ses transferts liés (la commission de l’agent avec un dépôt, les coûts indirects avec un décaissement), ou refusée avec la règle qu’elle enfreint.
fund-operation = Opération
fund-op-pledge = Promesse (donateur)
fund-op-commit = Engager une promesse
fund-op-void = Annuler une promesse
fund-op-deposit = Dépôt au titre d’un engagement
fund-op-allocate = Affecter à un guichet
fund-op-approve = Approuver le budget d’un projet
fund-op-disburse = Décaisser vers une organisation
fund-op-expend = Dépense
fund-op-refund = Remboursement par une organisation
fund-op-interest = Intérêts
fund-op-reverse = Contrepasser un transfert
fund-currency = Devise
fund-donor = Donateur
fund-pledge-id = Id de la promesse
fund-transfer-to-reverse = Transfert à contrepasser
fund-pledge-marking = Marquage d’une promesse (par défaut : celui du fonds)
fund-record = Enregistrer
# Les lignes du tableau de situation et des graphiques.
fund-line-commitments = Engagements des donateurs
fund-line-deposits = Dépôts
fund-line-interest = Intérêts
fund-line-refunds = Remboursements des organisations
fund-line-transfers = Transferts aux organisations
fund-line-agent-fees = Commissions de l’agent administratif
fund-line-indirect = Coûts indirects (compris dans les transferts)
fund-line-expenditure = Dépenses (comprises dans les transferts)
fund-line-total-sources = Total des ressources
fund-line-total-uses = Total des emplois
fund-line-with-agent = Détenu par l’agent administratif
fund-line-with-organisations = Détenu par les organisations participantes
fund-line-receivable = Engagé, pas encore déposé
fund-line-exchange = Écarts de change sur les engagements soldés
fund-line-pledged = Promis, pas encore engagé
fund-line-allocated = Affecté aux guichets
fund-line-approved = Approuvé pour des projets
fund-chart-year = Ressources et emplois par année ({ $currency })
fund-chart-window = Par guichet ({ $currency })
fund-chart-donor = Par donateur ({ $currency })
fund-series-deposits = Dépôts
fund-series-transfers = Transferts aux organisations
fund-series-expenditure = Dépenses
fund-series-allocated = Affecté
fund-series-approved = Approuvé pour des projets
fund-series-pledged = Promis, pas encore engagé
fund-series-committed = Engagé
fund-series-deposited = Déposé
# Le statut d’un projet.
fund-project-status-planned = prévu
fund-project-status-ongoing = en cours
fund-project-status-completed = terminé
fund-project-status-cancelled = annulé
# Ce qu’est un transfert (les codes du grand livre) et sa phase.
fund-code-pledge = promesse
fund-code-commitment = engagement
fund-code-pledge_void = annulation de promesse
fund-code-deposit = dépôt
fund-code-agent_fee = commission de l’agent
fund-code-interest = intérêts
fund-code-allocation = affectation
fund-code-approval = approbation
fund-code-disbursement = décaissement
fund-code-indirect_cost = coûts indirects
fund-code-expenditure = dépense
fund-code-refund = remboursement
fund-phase-pending = en attente
fund-phase-post = validé
fund-phase-void = annulé

## Modifier, retirer un besoin et ses versions
req-edit = Modifier
req-edit-title = Modifier le besoin
req-save-submit = Enregistrer les modifications
req-versions = Versions ({ $version })
req-versions-title = Versions d’un besoin
req-withdraw = Retirer
req-conflict-heading = Quelqu’un a enregistré ce besoin pendant que vous le modifiiez
req-conflict-explain = Rien de vos modifications n’est encore enregistré. La version { $version } a été enregistrée par { $by } le
req-conflict-choose = Choisissez, pour chaque champ modifié entre-temps, la valeur à garder ; vos valeurs sont dans le formulaire ci-dessous
req-conflict-field = Champ
req-conflict-theirs = Dans la version { $version }
req-conflict-yours = Les vôtres
req-conflict-keep = Garder
req-conflict-take-theirs = la valeur la plus récente
req-conflict-same = Aucun champ ne diffère : enregistrer garde vos valeurs.
req-field-title = Titre
req-field-description = Description
req-field-requesting_member = Membre demandeur
req-field-line_of_effort = Axe d’effort
req-field-category = Catégorie d’article
req-field-kind = En nature ou en argent
req-field-amount = Montant
req-field-unit = Unité ou monnaie
req-field-country = Pays
req-field-admin1_name = Gouvernorat
req-field-admin1_pcode = P-code
req-field-town = Localité
req-field-start = Du
req-field-end = Au
req-field-priority = Priorité
req-field-tlp = Niveau TLP
req-field-rel_to = Diffusable à
contrib-versions-title = Versions d’une contribution
contrib-versions = Versions ({ $version })
req-measure-unit-hint = Choisissez ou saisissez : une unité en minuscules (kit, police-officer), ou un code de devise pour de l’argent (USD, IQD).
contrib-edit-title = Modifier la contribution
contrib-edit-cancel = Revenir à la contribution sans enregistrer
contrib-edit-fixed-members = Les membres contributeurs restent ceux enregistrés : pour les changer, annulez cette contribution et faites une nouvelle promesse.
contrib-edit-fixed-requirement = Elle répond à son besoin et compte dans son unité ; l’axe d’effort et la catégorie sont ceux du besoin.
contrib-edit-amount-hint = Jamais moins que ce qui a été livré. Un nouveau montant, lieu ou période demande à chaque co-contributeur de confirmer à nouveau.
contrib-edit-place-hint = Laissez le lieu et la période vides pour reprendre ceux du besoin.
contrib-conflict-heading = Quelqu’un a enregistré cette contribution pendant que vous la modifiiez
ind-value-edit-title = Modifier une valeur déclarée
ind-value-edit-cancel = Revenir à l’indicateur sans enregistrer
ind-value-conflict-heading = Quelqu’un a enregistré cette valeur pendant que vous la modifiiez
ind-value-withdraw = Retirer cette valeur
ind-value-versions = Versions
ind-value-versions-title = Versions d’une valeur déclarée
ind-value-record = Fiche
ind-field-observed_on = Observée le
ind-field-value = Valeur
ind-field-note = Note ou source
ind-field-tlp = Niveau TLP
ind-field-rel_to = Diffusable à
