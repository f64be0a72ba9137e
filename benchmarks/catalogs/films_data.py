"""Word pools, the mapping and the rules of the generated film catalog (benchmarks/catalogs/films.py).

Everything is invented: titles and names come from the pools below, so no real film or person
is described. The relations are ones the shipped beauty-trained model never saw.
"""
from __future__ import annotations

GENRES = (("drama", "Drama"), ("comedy", "Comedy"), ("thriller", "Thriller"), ("sci-fi", "Science fiction"),
          ("romance", "Romance"), ("horror", "Horror"), ("documentary", "Documentary"), ("animation", "Animation"),
          ("crime", "Crime"), ("adventure", "Adventure"), ("fantasy", "Fantasy"), ("mystery", "Mystery"),
          ("war", "War"), ("western", "Western"), ("musical", "Musical"), ("family", "Family"),
          ("noir", "Film noir"), ("action", "Action"))
GENRE_WEIGHTS = (18, 14, 9, 6, 7, 5, 3, 4, 7, 5, 4, 4, 2, 1, 2, 3, 1, 6)
DECADES = tuple(range(1940, 2030, 10))
DECADE_WEIGHTS = (1, 2, 3, 4, 5, 7, 10, 14, 12)

TAGS = ("slow burn", "twist ending", "great soundtrack", "visually stunning", "based on a book", "quotable",
        "cult classic", "feel-good", "dark humour", "strong cast", "too long", "rewatchable")

ADJECTIVES = ("Silent Paper Northern Broken Golden Hidden Last Quiet Burning Distant Crimson Hollow Glass "
              "Secret Lonely Wild Frozen Electric Gentle Bitter Restless Velvet Iron Salt Midnight Sleeping "
              "Painted Forgotten Second Lost Small Endless Falling Open Narrow Borrowed Pale Silver Little").split()
NOUNS = ("Harbour Moon Orbit River Garden Letter Winter Summer Station Island Mirror Signal Voyage House "
         "Country Bridge Season Tide Empire Witness Forest Shore Kingdom Promise Highway Carnival Frontier "
         "Archive Lighthouse Machine Parade Orchard Canyon Ballroom Theory Signalman Engine Window Valley "
         "Meadow Citadel Desert Comet Compass Harvest Circus Monastery Rooftop Tunnel Echo Lantern").split()
PLACES = ("Lisbon", "Kyoto", "the North", "the Valley", "Marrakesh", "Oslo", "the Coast", "Havana", "Dublin",
          "the Border", "Tbilisi", "Sapporo", "the Delta", "Valparaiso", "Trieste", "the Islands", "Quebec",
          "Tallinn", "Zanzibar", "Winter Street")
FIRST = ("Ada Ben Chloe Ilse Maya Tomas Nora Felix Oskar Lena Ravi Sana Jonas Elif Mateo Iris Hugo Amara "
         "Pavel Yuki Rosa Emil Noor Leon Greta Kofi Lucia Aron Mira Tariq Vera Dario Ines Soren Hana Milo "
         "Alba Kasimir Zofia Idris Wren Bruno Leila Anton Cleo Ezra Signe Omar Petra Laszlo Ayla Nico Freya "
         "Jules Talia Bram Esme Viktor").split()
LAST = ("Varga Okafor Marsh Brandt Lind Reyes Quist Aho Novak Sato Moreau Haddad Kowalski Lindqvist Ferreira "
        "Ivanova Mbeki Castellano Holm Dupont Nakamura Osei Petrov Rossi Schmidt Tanaka Weber Yilmaz Abara "
        "Berg Costa Dahl Eriksen Fontaine Gallo Horvat Jansen Kaur Larsen Molnar Nilsen Ortega Pohl Quinn "
        "Renner Sorensen Toivonen Ueda Valdez Wolff Zeller Amato Bianchi Calder Devlin Eklund Farrow Grieg").split()

MAPPING = """\
# A generated film catalog (benchmarks/catalogs/films.py): viewers rate films; films have
# directors, stars, genres, a decade and similar films. Every name is invented.
# Viewers, films and people all have numeric ids: ids are per type, so viewer 1, film 1
# and person 1 are three different nodes.
namespace: https://id.whyrec.dev/films/
items: Film
users: Viewer
audience: viewers

relations:
  directed_by: {label: directed by, inverse: director of, phrases: [was directed by, is a film by, is directed by]}
  starring:    {label: starring, inverse: stars in, phrases: [stars, features, has in its cast]}
  genre:       {label: genre, inverse: genre of, phrases: [is a, belongs to the genre, is in the genre]}
  released_in: {label: released in, inverse: decade of, phrases: [came out in, was released in, is from]}
  similar_to:  {label: similar to, inverse: similar to, phrases: [is similar to, is a lot like, is often liked with]}
  tag:         {label: tag, inverse: tag of, phrases: [tagged, labelled]}

nodes:
  - file: films.csv
    type: Film
    id: film_id
    label: title
    columns:
      year:     {relation: year, datatype: integer}
      decade:   {relation: released_in, type: Decade}
      genres:   {relation: genre, type: Genre, split: "|"}
      director: {relation: directed_by, type: Person}
      cast:     {relation: starring, type: Person, split: "|"}
      # similar films may lie outside this catalog: link only to rows of films.csv
      similar:  {relation: similar_to, type: Film, split: "|", targets: rows}
  - {file: people.csv, type: Person, id: person_id, label: name}
  - {file: genres.csv, type: Genre, id: genre_id, label: name}
  - {file: decades.csv, type: Decade, id: decade_id, label: name}
  - {file: viewers.csv, type: Viewer, id: viewer_id}

facts:
  - file: ratings.csv
    subject: {column: viewer_id, type: Viewer}
    relation: rated
    object: {column: film_id, type: Film, targets: rows}
    values:
      score: {column: rating, datatype: decimal}   # 1 to 5 stars
      tag:   {column: tag}                         # a viewer's own word for the film, sometimes
      date:  {column: date, datatype: date}
"""

# (id, description, says, path, when, extra) of each rule; expect examples are computed from the data.
RULES = (
    ("same-director", "The viewer rated a film by the same director highly.",
     "You gave {film} {r.score} stars; {item} was also directed by {director}.",
     ("user rated film as r", "film directed_by director", "item directed_by director"), ("r.score >= 4",), 3),
    ("shared-star", "A star of a film the viewer rated plays in the item.",
     "{star} stars in {item}, as in {film}, which you rated {r.score} stars.",
     ("user rated film as r", "film starring star", "item starring star"), (), 2),
    ("similar-film", "The item is listed as similar to a film the viewer rated.",
     "{film}, which you rated {r.score} stars, is similar to {item}.",
     ("user rated film as r", "film similar_to item"), (), 2.5),
    ("your-tag", "The viewer tagged a film by the item's director.",
     "You tagged your {r.score}-star {film} \u201c{r.tag}\u201d; {item} is directed by {director} too.",
     ("user rated film as r", "film directed_by director", "item directed_by director"), ('r.tag != ""',), 2),
    ("loved-genre", "The item shares a genre with a film the viewer gave five stars.",
     "You gave {film} {r.score} stars; {item} also belongs to the genre {genre}.",
     ("user rated film as r", "film genre genre", "item genre genre"), ("r.score >= 5",), 1),
    ("loved-decade", "The item comes from the decade of a film the viewer gave five stars.",
     "You gave {film} {r.score} stars, and like {film}, {item} came out in {decade}.",
     ("user rated film as r", "film released_in decade", "item released_in decade"), ("r.score >= 5",), 0.5),
    ("viewers-also-rated", "Viewers who rated a film the viewer rated also rated the item.",
     "You gave {film} {r.score} stars; {count} other {audience} who rated {film} also rated {item}.",
     ("user rated film as r", "viewer rated film", "viewer rated item"), (), 1.5),
)
CROWD_MIN = 5  # min_support of the collaborative rule
